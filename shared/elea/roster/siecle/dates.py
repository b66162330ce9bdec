"""Dates as SIECLE (dd/mm/yyyy) and STS-web (yyyy-mm-dd) write them."""

from __future__ import annotations

from datetime import date, datetime


def parse_french_date(value: str) -> date | None:
    """'31/12/2012' → date(2012, 12, 31); None when empty or not a real date."""
    return _parse(value, "%d/%m/%Y")


def parse_iso_date(value: str) -> date | None:
    """'1980-01-02' → date(1980, 1, 2); None when empty or not a real date."""
    return _parse(value, "%Y-%m-%d")


def _parse(value: str, pattern: str) -> date | None:
    try:
        return datetime.strptime(value.strip(), pattern).date()
    except ValueError:
        return None
