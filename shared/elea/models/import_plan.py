"""The plan of an « Aperçu » import (reports/{UAI}/{import id}/plan.json): what the import would do,
written nothing. It names people, like report.csv: it lives under the same report retention."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from elea.models.issue import Issue
from elea.models.outcome import Outcome
from elea.models.person import Profile


class FieldChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str  # last_name, first_name, login, profile, cohorts, status, ent_id
    before: str
    after: str


class PlannedAccount(BaseModel):
    """One account the import would create, update, suspend, protect or skip."""

    model_config = ConfigDict(frozen=True)

    outcome: Outcome
    last_name: str
    first_name: str
    profile: Profile | None = None
    classes: list[str] = []
    line: int | None = None
    changes: list[FieldChange] = []  # updates only: field by field, before → after


class PlannedCohorts(BaseModel):
    model_config = ConfigDict(frozen=True)

    create: list[str] = []
    empty: list[str] = []
    unchanged: int = 0


class StepPlan(BaseModel):
    """What one step of a dry run would have done, staged for the plan report."""

    model_config = ConfigDict(frozen=True)

    cohorts: PlannedCohorts | None = None
    accounts: list[PlannedAccount] = []
    # Departures above the safety limit: they would wait for « Suspendre ces comptes ».
    held: list[PlannedAccount] = []
    unchanged: int = 0  # people whose account would stay as it is: counted, not listed


class ImportPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    import_id: str
    uai: str
    file_name: str
    format: str | None
    people_count: int
    planned_at: datetime
    # After this, « Lancer l'importation » is refused and the export is deleted.
    decision_deadline: datetime
    cohorts: PlannedCohorts
    accounts: list[PlannedAccount]
    held: list[PlannedAccount]
    unchanged: int = 0
    issues: list[Issue]
    issues_total: int

    def count(self, outcome: Outcome) -> int:
        return sum(1 for account in self.accounts if account.outcome is outcome)
