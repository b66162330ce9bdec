"""The newest date a file's content carries: SIECLE/STS export timestamp, ENT newest last connection."""

from __future__ import annotations

from datetime import date

import pytest

from elea.roster.content_dates import day_of, newest_day


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("23-02-2024 14:00", date(2024, 2, 23)),
        ("23/02/2024 14:00", date(2024, 2, 23)),
        ("2024-02-23T14:00", date(2024, 2, 23)),
        ("02/09/2025 08:15:00", date(2025, 9, 2)),
        ("", None),
        ("Jamais", None),
        ("31-02-2024", None),
    ],
)
def test_a_cell_gives_its_day_or_none(cell: str, day: date | None) -> None:
    assert day_of(cell) == day


def test_the_newest_readable_day_wins() -> None:
    assert newest_day(["02-10-2026", "", "garbage", "20-11-2026", "19-11-2026"]) == date(2026, 11, 20)
    assert newest_day(["", "x"]) is None
