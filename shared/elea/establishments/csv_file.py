"""Reading the académie's list of establishments (uai;nom;departement;bassin), as Excel really saves it."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from elea.establishments.errors import EstablishmentFileRefused, InvalidEstablishment
from elea.establishments.establishment import Establishment, new_establishment
from elea.models.issue import Issue, Severity

MAX_FILE_BYTES = 5 * 1024 * 1024  # a whole académie is a few thousand lines
_EXPECTED = "uai ; nom ; departement ; bassin"
_HEADER_HINT = f"La première ligne doit nommer les colonnes : {_EXPECTED} (séparées par « ; » ou « , »)."

# Normalised header (lower case, no accent, letters and digits only) → field.
_HEADER_ALIASES: dict[str, str] = {
    "uai": "uai", "rne": "uai", "codeuai": "uai", "coderne": "uai", "uairne": "uai",
    "nom": "name", "name": "name", "nometablissement": "name", "etablissement": "name",
    "libelle": "name", "appellation": "name", "denomination": "name",
    "departement": "department", "dept": "department", "dep": "department", "department": "department",
    "codedepartement": "department",
    "bassin": "basin", "basin": "basin", "numerobassin": "basin", "bassinformation": "basin",
}  # fmt: skip
_FIELDS = ("uai", "name", "department", "basin")


@dataclass(frozen=True)
class EstablishmentRow:
    line: int
    establishment: Establishment


@dataclass
class EstablishmentsFile:
    encoding: str
    delimiter: str
    rows: list[EstablishmentRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def read_establishments_csv(data: bytes, *, file_name: str) -> EstablishmentsFile:
    """Every valid row, and one Issue per bad line (line number, stable code, French message)."""
    text, encoding = _decode(data, file_name)
    header_line, header_text = _first_non_blank_line(text)
    if header_line == 0:
        raise EstablishmentFileRefused(
            f"Le fichier {file_name} est vide.", code="establishments_file_empty", file=file_name, hint=_HEADER_HINT
        )
    delimiter, columns = _header(header_text, file_name)
    result = EstablishmentsFile(encoding=encoding, delimiter=delimiter)
    first_line_of: dict[str, tuple[int, Establishment]] = {}
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    for record in reader:
        # A quoted cell may span lines: a row starts just after the previous one ended.
        line, previous_end = previous_end + 1, reader.line_num
        if line <= header_line:
            continue
        if not any(cell.strip() for cell in record):
            continue
        establishment = _row(record, columns, line, result.issues)
        if establishment is None:
            continue
        seen = first_line_of.get(establishment.uai)
        if seen is None:
            first_line_of[establishment.uai] = (line, establishment)
            result.rows.append(EstablishmentRow(line=line, establishment=establishment))
        elif seen[1] == establishment:
            message = f"l'établissement {establishment.uai} figure déjà ligne {seen[0]} : ligne ignorée."
            result.issues.append(_issue(line, Severity.WARNING, "duplicate_establishment", message))
        else:
            message = (
                f"l'établissement {establishment.uai} figure déjà ligne {seen[0]} avec d'autres valeurs : "
                f"seule la ligne {seen[0]} est prise en compte."
            )
            result.issues.append(_issue(line, Severity.ERROR, "conflicting_duplicate_establishment", message))
    return result


def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    if len(data) > MAX_FILE_BYTES:
        raise EstablishmentFileRefused(
            f"Le fichier {file_name} dépasse {MAX_FILE_BYTES // (1024 * 1024)} Mo.",
            code="establishments_file_too_large",
            file=file_name,
            hint="Vérifiez qu'il s'agit bien de la liste des établissements.",
        )
    not_text = EstablishmentFileRefused(
        f"Le fichier {file_name} n'est pas un fichier texte (CSV).",
        code="establishments_file_not_text",
        file=file_name,
        hint="Enregistrez la liste au format CSV (séparateur « ; ») depuis votre tableur.",
    )
    if b"\x00" in data:
        raise not_text
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # What Excel writes on a French Windows ("CSV (séparateur : point-virgule)").
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise not_text from None


def _first_non_blank_line(text: str) -> tuple[int, str]:
    """(1-based number, content) of the header line; (0, "") when the file holds only blanks."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            return number, line.rstrip("\r")
    return 0, ""


def _normalise(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.strip().strip('"').lower())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _header(line: str, file_name: str) -> tuple[str, dict[str, int]]:
    for delimiter in (";", ",", "\t"):
        cells = next(csv.reader([line], delimiter=delimiter))
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            known = _HEADER_ALIASES.get(_normalise(cell))
            if known is not None and known not in columns:
                columns[known] = index
        if all(name in columns for name in _FIELDS):
            return delimiter, columns
    raise EstablishmentFileRefused(
        f"Le fichier {file_name} n'a pas les colonnes attendues en ligne 1.",
        code="establishments_header_missing",
        file=file_name,
        hint=_HEADER_HINT,
    )


def _row(record: list[str], columns: dict[str, int], line: int, issues: list[Issue]) -> Establishment | None:
    if len(record) <= max(columns.values()):
        message = "il manque des colonnes (uai, nom, département et bassin sont attendus)."
        issues.append(_issue(line, Severity.ERROR, "establishment_row_incomplete", message))
        return None
    values = {name: record[index] for name, index in columns.items()}
    try:
        return new_establishment(**values)
    except InvalidEstablishment as error:
        issues.append(_issue(line, Severity.ERROR, error.code, error.message))
        return None


def _issue(line: int, severity: Severity, code: str, message: str) -> Issue:
    return Issue(line=line, severity=severity, code=code, message=message)
