"""The report of one import (reports/{UAI}/{import id}/report.json): counts and the file's issues.

No logins. Issue 8, item 7: `rows` names each row's person (last name, first name, class) beside the Id,
and `held_people` who a held suspension would suspend, so the manager can act once the export is gone;
the file stays under reports/, whose retention the template sets. Never logged."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from elea.models.class_spelling import ClassSpelling
from elea.models.cohort_counts import CohortCounts
from elea.models.deprovision_result import HeldPerson
from elea.models.import_record import ImportStatus
from elea.models.issue import Issue
from elea.models.outcome_counts import OutcomeCounts
from elea.models.report_row import ReportClass, ReportPersonRow
from elea.models.sanity_check import SanityCheck
from elea.models.step_failure import ImportFailure

# Enough for an e-mail or a screen; the CSV has every row.
MAX_ISSUES_IN_REPORT = 200


class ImportReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    import_id: str
    uai: str | None
    file_name: str
    format: str | None
    status: ImportStatus
    started_at: datetime
    finished_at: datetime
    people_count: int
    counts: OutcomeCounts
    cohorts: CohortCounts
    held: int
    issues: list[Issue]
    issues_total: int
    failure: ImportFailure | None = None
    # Issue 9: the checks the file failed; while there is one, every suspension is held (`held`).
    checks: list[SanityCheck] = []
    rows: list[ReportPersonRow] = []
    classes: list[ReportClass] = []
    held_people: list[HeldPerson] = []
    # Issue 9: the file's classes kept under an existing cohort spelled otherwise (« 6a » → « 6A »).
    class_spellings: list[ClassSpelling] = []
    # Issue 9: what the manager should know without anything being held (« ce fichier est identique à celui
    # de la dernière importation »).
    notices: list[SanityCheck] = []
