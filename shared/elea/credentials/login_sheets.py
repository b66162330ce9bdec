"""« Fiches de connexion »: printable per-class sheets (HTML) and a CSV of new local accounts' credentials.

Pure: rows in, bytes out. The caller stores them under reports/ and offers them behind a short-lived
link to the manager only; credentials never go into an e-mail body.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from elea.credentials.csv_cells import neutralise
from elea.mail.rendering import render

NO_CLASS = "Sans classe"
CSV_HEADER = ("Classe", "Nom", "Prénom", "Identifiant", "Mot de passe initial", "Plateforme")


class LoginSheetRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    class_name: str
    last_name: str
    first_name: str
    username: str
    password: str


@dataclass(frozen=True)
class ClassSheet:
    class_name: str
    rows: tuple[LoginSheetRow, ...]


def _sort_key(text: str) -> str:
    """Accent- and case-insensitive, as a class list is read (Émilie between Emma and Enzo)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def class_sheets(rows: Iterable[LoginSheetRow]) -> list[ClassSheet]:
    """One sheet per class, classes and names in reading order; people without a class last."""
    by_class: dict[str, list[LoginSheetRow]] = {}
    for row in rows:
        by_class.setdefault(row.class_name.strip() or NO_CLASS, []).append(row)
    ordered = sorted(by_class, key=lambda name: (name == NO_CLASS, _sort_key(name)))
    return [
        ClassSheet(
            class_name=name,
            rows=tuple(
                sorted(by_class[name], key=lambda r: (_sort_key(r.last_name), _sort_key(r.first_name), r.username))
            ),
        )
        for name in ordered
    ]


def login_sheets_html(
    rows: Sequence[LoginSheetRow],
    *,
    school_name: str | None,
    uai: str,
    platform_url: str | None,
    generated_at: datetime,
) -> str:
    """A page per class (CSS page breaks), one cut-out card per person. HTML-escaped throughout."""
    return render(
        "login_sheets.html.j2",
        sheets=class_sheets(rows),
        school_name=school_name,
        uai=uai,
        platform_url=platform_url,
        generated_at=generated_at,
        total=len(rows),
    )


def login_sheets_csv(rows: Sequence[LoginSheetRow], *, platform_url: str | None) -> bytes:
    """UTF-8 with a BOM and `;` (Excel in French opens it as is); cells cannot become formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for sheet in class_sheets(rows):
        for row in sheet.rows:
            cells = (sheet.class_name, row.last_name, row.first_name, row.username, row.password, platform_url or "")
            writer.writerow([neutralise(cell) for cell in cells])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def login_sheets_csv_count(data: bytes) -> int:
    """How many people a published sheets CSV holds (for the e-mail, which says a number, not who)."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    return max(0, sum(1 for row in rows if row) - 1)  # minus the header
