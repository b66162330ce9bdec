"""The end of every XML reader: each kept element becomes a person or an issue, then one roster.

Every person is held to the same rules as the ENT's rows here, in one place for SIECLE and STS: names
and classes in NFC, each field within the platform's limits, no hidden character in a class, look-alike
classes merged, and past `max_errors` errors the file is refused (« trop d'erreurs »).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from elea.domain.field_limits import CLASS_NAME_MAX, IDNUMBER_MAX, NAME_MAX
from elea.domain.identity import hidden_character_in, nfc
from elea.models.issue import Issue
from elea.models.person import Person
from elea.models.roster import Roster, RosterFormat
from elea.roster.classes import merge_lookalike_classes
from elea.roster.issue_log import DEFAULT_MAX_ROW_ERRORS, IssueLog
from elea.roster.siecle.row_issues import error_at

Element = TypeVar("Element")
# (element, ids seen so far, issues) -> the person, or None after recording an issue
PersonOrIssue = Callable[[Element, set[str], list[Issue]], Person | None]

_EXPORT_AGAIN = "Exportez à nouveau depuis SIECLE ou STS-web, sans modifier le fichier."


def assemble_roster(
    roster_format: RosterFormat,
    *,
    encoding: str,
    uai: str | None,
    content_date: date | None,
    elements: Iterable[Element],
    person_or_issue: PersonOrIssue[Element],
    source_name: str = "",
    max_errors: int = DEFAULT_MAX_ROW_ERRORS,
) -> Roster:
    people: list[Person] = []
    log = IssueLog(max_errors)
    seen_ids: set[str] = set()
    for element in elements:
        found: list[Issue] = []
        person = person_or_issue(element, seen_ids, found)
        log.extend(found)
        if person is None:
            continue
        person = _normalised(person)
        problem = _field_problem(person)
        if problem is not None:
            log.append(problem)
            continue
        people.append(person)
    issues = log.finish(source_name, _EXPORT_AGAIN)
    # Only the classes of people kept: a division made only of leavers becomes no cohort.
    people, classes, merged = merge_lookalike_classes(people, {name for person in people for name in person.classes})
    return Roster(
        format=roster_format,
        encoding=encoding,
        uai=uai,
        content_date=content_date,
        people=people,
        classes=sorted(classes),
        issues=issues + merged,
    )


def _normalised(person: Person) -> Person:
    names = (nfc(person.last_name), nfc(person.first_name), tuple(nfc(name) for name in person.classes))
    if names == (person.last_name, person.first_name, person.classes):
        return person
    return person.model_copy(update={"last_name": names[0], "first_name": names[1], "classes": names[2]})


def _field_problem(person: Person) -> Issue | None:
    """A row error when a value would not fit the platform or holds a hidden character in a class."""
    line = person.line or 0
    too_long = [
        label
        for label, value, limit in (
            ("identifiant", person.id, IDNUMBER_MAX),
            ("nom", person.last_name, NAME_MAX),
            ("prénom", person.first_name, NAME_MAX),
        )
        if len(value) > limit
    ]
    if any(len(name) > CLASS_NAME_MAX for name in person.classes):
        too_long.append(f"classe ({CLASS_NAME_MAX} caractères au plus)")
    if too_long:
        return error_at(
            line,
            "field_too_long",
            f"Valeur trop longue pour la plateforme ({', '.join(too_long)} ; 100 caractères au plus pour un nom, "
            "255 pour un identifiant) : non importé.",
            person.id if len(person.id) <= IDNUMBER_MAX else None,
        )
    if any(hidden_character_in(" ".join(name.split())) for name in person.classes):
        return error_at(
            line,
            "hidden_character",
            "Une classe (division) contient un caractère invisible, de contrôle ou de sens d'écriture : non importé.",
            person.id,
        )
    return None
