from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

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
    # The newest date the content carries (SIECLE/STS: the export's; ENT: the newest last connection).
    content_date: date | None = None
    # ENT only, for the school check of the Parse step (elea.roster.uai_check); not in `parse --json`.
    # Person Id → the valid UAIs their "Établissements" cells name (people naming none are absent).
    school_uais: dict[str, tuple[str, ...]] = Field(default_factory=dict, exclude=True)
    # People whose "Établissements" cells are filled but name no valid UAI.
    people_without_school_uai: int = Field(default=0, exclude=True)
    # "Établissements" cell → how many people it names, for the school-name warning.
    structure_names: dict[str, int] = Field(default_factory=dict, exclude=True)

    @property
    def error_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity is Severity.ERROR)
