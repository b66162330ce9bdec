"""Problems on one row of an ENT export: a stable English code and a French message.

Messages name columns and line numbers only, never a value of the row (names and logins are
children's personal data). The row's Id, an opaque key, goes in `person_id` when it is known.
"""

from __future__ import annotations

from elea.models.issue import Issue, Severity

MISSING_ID = "missing_id"
MISSING_LOGIN = "missing_login"
MISSING_NAME = "missing_name"
UNKNOWN_PROFILE = "unknown_profile"
BAD_COLUMN_COUNT = "bad_column_count"
UNESCAPED_QUOTE = "unescaped_quote"
LINE_TOO_LONG = "line_too_long"
DUPLICATE_LOGIN = "duplicate_login"
DUPLICATE_ID = "duplicate_id"
DUPLICATE_ID_CONFLICT = "duplicate_id_conflict"
CONTROL_CHARACTER = "control_character"
FIELD_TOO_LONG = "field_too_long"
HIDDEN_CHARACTER = "hidden_character"
RESERVED_LOGIN = "reserved_login"
LOOKALIKE_LOGIN = "lookalike_login"
LINE_ENCODING_CP1252 = "line_encoding_cp1252"
DOUBLE_ENCODING_REPAIRED = "double_encoding_repaired"

_FIX_IN_ENT = "corrigez le compte dans l'ENT puis exportez à nouveau"


def _first_seen(first_line: int | None) -> str:
    # Where the other row stands, for the duplicate and look-alike messages.
    return f"ligne {first_line}" if first_line is not None else "une ligne précédente"


def _quoted(labels: list[str]) -> str:
    return ", ".join(f"« {label} »" for label in labels)


def missing_fields(line: int, code: str, labels: list[str], person_id: str | None) -> Issue:
    plural = "s" if len(labels) > 1 else ""
    return Issue(
        line=line,
        column=", ".join(labels),
        severity=Severity.ERROR,
        code=code,
        message=f"Colonne{plural} vide{plural} : {_quoted(labels)}. Ligne ignorée : {_FIX_IN_ENT}.",
        person_id=person_id,
    )


def unknown_profile(line: int, label: str, person_id: str | None) -> Issue:
    return Issue(
        line=line,
        column=label,
        severity=Severity.ERROR,
        code=UNKNOWN_PROFILE,
        message=(
            f"Type de compte non reconnu dans la colonne « {label} » (attendu : Élève, Enseignant, "
            f"Personnel, Parent ou Invité). Ligne ignorée : {_FIX_IN_ENT}."
        ),
        person_id=person_id,
    )


def bad_column_count(line: int, found: int, expected: int, person_id: str | None) -> Issue:
    return Issue(
        line=line,
        severity=Severity.ERROR,
        code=BAD_COLUMN_COUNT,
        message=(
            f"La ligne a {found} colonnes au lieu de {expected} (un guillemet ou un séparateur dans une "
            f"valeur ?). Ligne ignorée, les suivantes sont lues : {_FIX_IN_ENT}."
        ),
        person_id=person_id,
    )


def line_too_long(line: int, length: int, person_id: str | None) -> Issue:
    return Issue(
        line=line,
        severity=Severity.ERROR,
        code=LINE_TOO_LONG,
        message=(
            f"La ligne fait {length} caractères, bien plus qu'un compte de l'ENT (un guillemet non fermé "
            f"ou un fichier modifié ?). Ligne ignorée, les suivantes sont lues : {_FIX_IN_ENT}."
        ),
        person_id=person_id,
    )


def unescaped_quote(line: int, person_id: str | None) -> Issue:
    return Issue(
        line=line,
        severity=Severity.WARNING,
        code=UNESCAPED_QUOTE,
        message='Une valeur contient un guillemet (") : la ligne a été lue en le gardant tel quel, vérifiez-la.',
        person_id=person_id,
    )


def duplicate_login(line: int, first_line: int | None, label: str, person_id: str) -> Issue:
    where = _first_seen(first_line)
    return Issue(
        line=line,
        column=label,
        severity=Severity.ERROR,
        code=DUPLICATE_LOGIN,
        message=(
            f"La colonne « {label} » a la même valeur qu'une autre personne ({where}, Id différent). "
            f"Ligne ignorée : {_FIX_IN_ENT}."
        ),
        person_id=person_id,
    )


def duplicate_id(line: int, first_line: int | None, label: str, person_id: str) -> Issue:
    where = _first_seen(first_line)
    return Issue(
        line=line,
        column=label,
        severity=Severity.ERROR,
        code=DUPLICATE_ID,
        message=(
            f"La colonne « {label} » a la même valeur qu'un autre compte ({where}) dont l'identifiant de "
            f"connexion est différent. Ligne ignorée : {_FIX_IN_ENT}."
        ),
        person_id=person_id,
    )


def duplicate_id_conflict(line: int, first_line: int | None, labels: list[str], person_id: str) -> Issue:
    where = _first_seen(first_line)
    return Issue(
        line=line,
        column=", ".join(labels),
        severity=Severity.WARNING,
        code=DUPLICATE_ID_CONFLICT,
        message=(
            f"Cet Id apparaît déjà ({where}) avec une autre valeur dans {_quoted(labels)} : "
            f"les valeurs de la première ligne sont gardées, les classes sont fusionnées."
        ),
        person_id=person_id,
    )


def control_character(line: int, person_id: str | None) -> Issue:
    # A NUL or other control byte in a name is a damaged file, never a real name: an account must not get it.
    return Issue(
        line=line,
        severity=Severity.ERROR,
        code=CONTROL_CHARACTER,
        message=(
            "Caractère de contrôle (invisible) dans l'identifiant, le nom ou le prénom : le fichier semble abîmé. "
            "Ligne ignorée : exportez à nouveau depuis la console d'administration de l'ENT."
        ),
        person_id=person_id,
    )


def field_too_long(
    line: int, labels: list[str], limit: int, person_id: str | None, *, limits: list[int] | None = None
) -> Issue:
    # The limits are the platform's (Moodle's columns): a longer value could not be stored whole.
    sizes = limits or [limit] * len(labels)
    detail = ", ".join(f"« {label} » ({size} caractères au plus)" for label, size in zip(labels, sizes, strict=True))
    return Issue(
        line=line,
        column=", ".join(labels),
        severity=Severity.ERROR,
        code=FIELD_TOO_LONG,
        message=f"Valeur trop longue pour la plateforme dans {detail}. Ligne ignorée : {_FIX_IN_ENT}.",
        person_id=person_id,
    )


def hidden_character(line: int, label: str, person_id: str | None) -> Issue:
    # Invisible or bidirectional characters make two identifiers or classes look alike: never an account.
    return Issue(
        line=line,
        column=label,
        severity=Severity.ERROR,
        code=HIDDEN_CHARACTER,
        message=(
            f"La colonne « {label} » contient un caractère invisible, de contrôle ou de sens d'écriture : "
            f"elle pourrait passer pour une autre. Ligne ignorée : {_FIX_IN_ENT}."
        ),
        person_id=person_id,
    )


def reserved_login(line: int, label: str, person_id: str | None) -> Issue:
    return Issue(
        line=line,
        column=label,
        severity=Severity.ERROR,
        code=RESERVED_LOGIN,
        message=(
            f"La colonne « {label} » a la forme d'un code UAI (7 chiffres et une lettre), réservée au compte de "
            f"gestion d'un établissement : aucun compte n'est créé. Ligne ignorée : {_FIX_IN_ENT}."
        ),
        person_id=person_id,
    )


def lookalike_login(line: int, first_line: int | None, label: str, person_id: str) -> Issue:
    where = _first_seen(first_line)
    return Issue(
        line=line,
        column=label,
        severity=Severity.ERROR,
        code=LOOKALIKE_LOGIN,
        message=(
            f"La colonne « {label} » ne diffère de celle d'une autre personne ({where}, Id différent) que par "
            "les majuscules, les accents ou la largeur des caractères : la plateforme ne les distingue pas. "
            f"Ligne ignorée : {_FIX_IN_ENT}."
        ),
        person_id=person_id,
    )


def line_in_cp1252(line: int) -> Issue:
    return Issue(
        line=line,
        severity=Severity.WARNING,
        code=LINE_ENCODING_CP1252,
        message=(
            "Cette ligne n'est pas entièrement en UTF-8 comme le reste du fichier : ses caractères qui ne sont pas "
            "de l'UTF-8 ont été lus en Windows-1252 (cp1252). Vérifiez les accents de ses noms, ou exportez à "
            "nouveau depuis l'ENT sans modifier le fichier."
        ),
    )


def double_encoding_repaired(line: int) -> Issue:
    return Issue(
        line=line,
        severity=Severity.WARNING,
        code=DOUBLE_ENCODING_REPAIRED,
        message=(
            "Des caractères de cette ligne étaient encodés deux fois (par exemple « Ã© » pour « é ») : ils ont "
            "été réparés. Vérifiez les noms de cette ligne, ou exportez à nouveau depuis l'ENT."
        ),
    )
