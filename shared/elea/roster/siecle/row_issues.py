"""Issues on one element of an XML export; the messages carry opaque ids, never names."""

from __future__ import annotations

from elea.models.issue import Issue, Severity


def error_at(line: int, code: str, message: str, person_id: str | None = None) -> Issue:
    return Issue(line=line, severity=Severity.ERROR, code=code, message=message, person_id=person_id)


def warning_at(line: int, code: str, message: str, person_id: str | None = None) -> Issue:
    return Issue(line=line, severity=Severity.WARNING, code=code, message=message, person_id=person_id)
