"""The date a file's content carries, to tell an old export from a fresh one.

- SIECLE and STS-web write when the export was made (PARAMETRES/HORODATAGE, else DATE_EXPORT).
- The ENT "Export classique" has no export date, but its "Dernière connexion" column only grows:
  the newest last connection in a file is a day the export was made on or after. A later export of
  the same school can only carry the same day or a newer one (unless that very person was deleted),
  so a file whose newest connection is older than the last imported file's is an older export.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

# As the ENT writes it ("23-02-2024 14:00"), after an Excel re-save, and ISO.
_DAY_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def day_of(text: str) -> date | None:
    """The day a cell starts with ("23-02-2024 14:00" → 2024-02-23), None when it is not a date."""
    head = text.strip()[:10]
    for pattern in _DAY_FORMATS:
        try:
            return datetime.strptime(head, pattern).date()
        except ValueError:
            continue
    return None


def newest_day(cells: Iterable[str]) -> date | None:
    """The newest readable day among the cells (a day after the import itself is set aside by the
    check, logic/sanity_checks.py, so a damaged cell cannot make every later export look old)."""
    return max((day for day in map(day_of, cells) if day is not None), default=None)
