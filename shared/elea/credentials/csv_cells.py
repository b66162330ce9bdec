"""CSV cells that Excel or LibreOffice will not run as formulas (CSV injection)."""

from __future__ import annotations

# A cell starting with one of these is a formula (or becomes one) in a spreadsheet.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefixes an apostrophe, which spreadsheets show as text and do not display."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
