"""The end of every XML reader: each kept element becomes a person or an issue, then one roster."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from elea.models.issue import Issue
from elea.models.person import Person
from elea.models.roster import Roster, RosterFormat

Element = TypeVar("Element")
# (element, ids seen so far, issues) -> the person, or None after recording an issue
PersonOrIssue = Callable[[Element, set[str], list[Issue]], Person | None]


def assemble_roster(
    roster_format: RosterFormat,
    *,
    encoding: str,
    uai: str | None,
    content_date: date | None,
    elements: Iterable[Element],
    person_or_issue: PersonOrIssue[Element],
) -> Roster:
    people: list[Person] = []
    issues: list[Issue] = []
    seen_ids: set[str] = set()
    for element in elements:
        person = person_or_issue(element, seen_ids, issues)
        if person is not None:
            people.append(person)
    return Roster(
        format=roster_format,
        encoding=encoding,
        uai=uai,
        content_date=content_date,
        people=people,
        # Only the classes of people kept: a division made only of leavers becomes no cohort.
        classes=sorted({name for person in people for name in person.classes}),
        issues=issues,
    )
