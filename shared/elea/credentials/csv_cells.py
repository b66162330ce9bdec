"""CSV cells that Excel or LibreOffice will not run as formulas (CSV injection, OWASP)."""

from __future__ import annotations

# A cell starting with one of these is a formula (or becomes one) in a spreadsheet; the full-width
# forms are turned into the ASCII ones by East Asian input settings of Excel.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: str) -> str:
    """Prefixes an apostrophe, which spreadsheets show as text and do not display. Leading spaces do not
    hide a formula: LibreOffice trims them before looking at the first character."""
    return "'" + cell if cell.lstrip(" ").startswith(_FORMULA_STARTS) else cell
