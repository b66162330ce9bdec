"""The import record (DynamoDB imports table): what happened to one dropped file."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from elea.establishments.establishment import Establishment
from elea.models.cohort_counts import CohortCounts
from elea.models.outcome_counts import OutcomeCounts
from elea.models.report_mail_status import ReportMailStatus
from elea.models.sanity_check import SanityCheck
from elea.models.step_failure import ImportFailure


class ImportStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    REFUSED = "refused"  # the file was refused: nothing imported
    FAILED = "failed"  # a technical failure: the import stopped
    # « Aperçu » (issue 8): planned, nothing written, the export kept until a decision or the deadline.
    AWAITING_DECISION = "awaiting_decision"
    LAUNCHED = "launched"  # « Lancer l'importation »: the export was handed to a new, real import
    CANCELLED = "cancelled"  # « Annuler »: the export is deleted
    EXPIRED = "expired"  # no decision before the deadline: the export was deleted (the sweep, or a late launch)


class ImportPhase(StrEnum):
    """Where a running import is, for the page's live progress (issue 8)."""

    UPLOAD = "upload"
    CLASSES = "classes"
    USERS = "users"
    REPORT = "report"
    DONE = "done"
    AWAITING_DECISION = "awaiting_decision"


class ImportProgress(BaseModel):
    """Live progress, kept beside the record (not in it): the Users step's parallel chunks add to
    `processed` atomically, and a save of the record never resets it."""

    model_config = ConfigDict(frozen=True)

    phase: ImportPhase = ImportPhase.UPLOAD
    people: int = 0
    processed: int = 0


class HeldDecision(StrEnum):
    SUSPEND = "suspend"
    KEEP = "keep"


class ReportKeys(BaseModel):
    model_config = ConfigDict(frozen=True)

    json_key: str
    csv_key: str | None = None


class ImportRecord(BaseModel):
    model_config = ConfigDict(frozen=True)

    import_id: str
    # The execution that claimed the import; only it may write the record afterwards.
    execution_id: str
    bucket: str
    upload_key: str
    file_name: str
    uai: str | None
    status: ImportStatus
    started_at: datetime
    finished_at: datetime | None = None
    format: str | None = None
    people_count: int = 0
    counts: OutcomeCounts | None = None
    cohorts: CohortCounts | None = None
    # Suspensions above the safety limit wait for `elea-import approve IMPORT_ID`: account keys, opaque.
    held: list[str] = []
    approved_at: datetime | None = None
    approved_suspensions: int = 0
    failure: ImportFailure | None = None
    report: ReportKeys | None = None
    export_deleted: bool = False
    # « Aperçu »: the plan (reports/{UAI}/{import id}/plan.json) and until when it may be launched.
    dry_run: bool = False
    plan_key: str | None = None
    decision_deadline: datetime | None = None
    decided_at: datetime | None = None
    # The report e-mail to the establishment's mailbox (issue 4): None until it was tried.
    report_mail: ReportMailStatus | None = None
    # The school's registry entry as the Parse step read it (name, department, basin: no personal data),
    # so the report e-mail need not read it again; None when Parse did not need it.
    establishment: Establishment | None = None
    # Issue 9: the newest date the file's content carried (compared by the next import), and the checks
    # this import failed, for which every suspension was held.
    content_date: date | None = None
    checks: list[SanityCheck] = []
    # Issue 9: SHA-256 of the file's bytes (never its content), set by the Parse step once it was read:
    # the next imports tell an old export re-sent, or the same file twice (logic/sanity_checks.py).
    content_sha256: str | None = None
    # Issue 8: the web page's upload (x-amz-meta-upload-id) this import came from, if any.
    upload_id: str | None = None
    # « Suspendre ces comptes » or « Ne pas suspendre », chosen on the page for the held suspensions.
    held_decision: HeldDecision | None = None
    held_decided_at: datetime | None = None
    # Read from the item's progress attributes, never written into the record document.
    progress: ImportProgress | None = None
