from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from elea.models.issue import Issue, Severity
from elea.models.person import Person


class RosterFormat(StrEnum):
    ENT_CSV = "ent-csv"
    SIECLE_ELEVES = "siecle-eleves"
    STS_EMP = "sts-emp"


class Roster(BaseModel):
    format: RosterFormat
    encoding: str
    uai: str | None
    people: list[Person]
    classes: list[str]
    issues: list[Issue]

    @property
    def error_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity is Severity.ERROR)
