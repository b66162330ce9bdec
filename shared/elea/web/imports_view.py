"""What the page reads and decides about imports, always within the session's UAI.

Every import is loaded by id and answered as « introuvable » unless its record names the session's
UAI: an unknown id and another school's id get the same answer. Report files are read from the keys
the record holds, and only under reports/{session UAI}/, never from a key the page sends.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from elea.logic.approve_held import approve_held_suspensions
from elea.logic.planned_import import cancel_planned_import, launch_planned_import
from elea.logic.record_plan import read_plan
from elea.models.cohort_counts import CohortCounts
from elea.models.import_plan import ImportPlan
from elea.models.import_record import HeldDecision, ImportPhase, ImportRecord, ImportStatus
from elea.models.import_report import ImportReport
from elea.models.outcome_counts import OutcomeCounts
from elea.models.step_failure import ImportFailure
from elea.web.errors import ImportNotFound, NothingHeld, ReportUnavailable, UploadNotFound
from elea.web.services import HISTORY_LENGTH, WebServices
from elea.web.session import Session


class HistoryEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    import_id: str
    started_at: datetime
    file_name: str
    status: ImportStatus
    counts: OutcomeCounts | None
    people_count: int


class ImportState(BaseModel):
    """GET /api/imports/{id}: what the wizard polls."""

    model_config = ConfigDict(frozen=True)

    import_id: str
    status: ImportStatus
    phase: ImportPhase
    file_name: str
    started_at: datetime
    people_count: int
    processed: int
    counts: OutcomeCounts | None
    cohorts: CohortCounts | None
    held_count: int
    held_decision: HeldDecision | None
    failure: ImportFailure | None
    report_available: bool
    dry_run: bool


class HeldAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    import_id: str
    decision: HeldDecision
    suspended: int


def scoped_record(session: Session, import_id: str, services: WebServices) -> ImportRecord:
    record = services.imports.get(import_id) if _plausible_id(import_id) else None
    if record is None or record.uai is None or record.uai != session.uai:
        raise ImportNotFound()
    return record


def _plausible_id(import_id: str) -> bool:
    return 0 < len(import_id) <= 64 and import_id.isalnum()


def history(session: Session, services: WebServices) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            import_id=record.import_id,
            started_at=record.started_at,
            file_name=record.file_name,
            status=record.status,
            counts=record.counts,
            people_count=record.people_count or (record.progress.people if record.progress else 0),
        )
        for record in services.imports.recent(session.uai, HISTORY_LENGTH)
    ]


def import_of_upload(session: Session, upload_id: str, services: WebServices) -> str | None:
    """The import the chain made of this upload, None while it has not claimed it yet."""
    if not (len(upload_id) == 32 and all(char in "0123456789abcdef" for char in upload_id)):
        raise UploadNotFound()
    import_id = services.imports.import_of_upload(upload_id)
    if import_id is None:
        return None
    # Another school's upload id answers as an unclaimed one would never end: as not found.
    record = services.imports.get(import_id)
    if record is None or record.uai != session.uai:
        raise UploadNotFound()
    return import_id


def phase_of(record: ImportRecord) -> ImportPhase:
    if record.status is ImportStatus.AWAITING_DECISION:
        return ImportPhase.AWAITING_DECISION  # an Aperçu, waiting for « Lancer » or « Annuler »
    if record.status is not ImportStatus.RUNNING:
        return ImportPhase.DONE
    progress = record.progress
    if progress is None:
        return ImportPhase.UPLOAD
    if progress.phase is ImportPhase.USERS and progress.processed >= progress.people:
        return ImportPhase.REPORT  # every chunk is done: deprovisioning and the report remain
    return progress.phase


def import_state(session: Session, import_id: str, services: WebServices) -> ImportState:
    record = scoped_record(session, import_id, services)
    progress = record.progress
    people = record.people_count or (progress.people if progress else 0)
    done = record.status is ImportStatus.COMPLETED
    return ImportState(
        import_id=record.import_id,
        status=record.status,
        phase=phase_of(record),
        file_name=record.file_name,
        started_at=record.started_at,
        people_count=people,
        processed=people if done else min(people, progress.processed if progress else 0),
        counts=record.counts,
        cohorts=record.cohorts,
        held_count=len(record.held),
        held_decision=record.held_decision,
        failure=record.failure,
        report_available=record.report is not None,
        dry_run=record.dry_run,
    )


def _report_key(session: Session, record: ImportRecord, kind: str) -> str:
    keys = record.report
    return _school_key(session, None if keys is None else (keys.json_key if kind == "json" else keys.csv_key))


def _school_key(session: Session, key: str | None) -> str:
    # The record's keys are made from its UAI; checked again so a record can never point the page elsewhere.
    if key is None or not key.startswith(f"reports/{session.uai}/"):
        raise ReportUnavailable()
    return key


def report_json(session: Session, import_id: str, services: WebServices) -> tuple[ImportRecord, ImportReport]:
    """The import's report.json, with its record (what was decided since: the held suspensions)."""
    record = scoped_record(session, import_id, services)
    body = services.bucket.get(_report_key(session, record, "json"))
    if body is None:
        raise ReportUnavailable()
    return record, ImportReport.model_validate_json(body)


def plan_json(session: Session, import_id: str, services: WebServices) -> ImportPlan:
    """An « Aperçu »'s plan.json (accounts to create, update field by field, suspend; cohorts; errors), for
    the session's school only; the key is checked as the report's is."""
    record = scoped_record(session, import_id, services)
    plan = read_plan(services.bucket, _school_key(session, record.plan_key))
    if plan is None:
        raise ReportUnavailable()
    return plan


def report_csv(session: Session, import_id: str, services: WebServices) -> tuple[str, bytes]:
    record = scoped_record(session, import_id, services)
    body = services.bucket.get(_report_key(session, record, "csv"))
    if body is None:
        raise ReportUnavailable()
    stem = record.file_name.rsplit(".", 1)[0] or "import"
    return f"rapport-{stem}-{record.started_at:%Y-%m-%d}.csv", body


def decide_held(session: Session, import_id: str, decision: HeldDecision, services: WebServices) -> HeldAnswer:
    """« Suspendre ces comptes » applies the hold through the operator's approve use case;
    « Ne pas suspendre » empties it and records the choice. Either is recorded on the import."""
    record = scoped_record(session, import_id, services)
    if not record.held:
        raise NothingHeld()
    now = services.clock()
    suspended = 0
    if decision is HeldDecision.SUSPEND:
        approval = approve_held_suspensions(
            import_id, imports=services.imports, platforms=services.platforms, now=lambda: now
        )
        suspended = approval.suspended
        record = scoped_record(session, import_id, services)
    else:
        record = record.model_copy(update={"held": []})
    services.imports.save(record.model_copy(update={"held_decision": decision, "held_decided_at": now}))
    return HeldAnswer(import_id=import_id, decision=decision, suspended=suspended)


def decide_plan(session: Session, import_id: str, launch: bool, services: WebServices) -> ImportRecord:
    """« Lancer l'importation » or « Annuler » on an Aperçu, through the dry-run use cases, for the
    session's UAI only (another school's import is « introuvable »)."""
    scoped_record(session, import_id, services)
    decide = launch_planned_import if launch else cancel_planned_import
    return decide(import_id, session.uai, store=services.bucket, imports=services.imports, now=services.clock)
