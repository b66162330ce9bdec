"""An in-memory ImportStore with the DynamoDB adapter's conditional semantics."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from elea.errors import ConcurrentChange
from elea.models.import_record import ImportPhase, ImportProgress, ImportRecord, ImportStatus
from elea.models.report_mail_status import MailStatus, ReportMailStatus


class InMemoryImportStore:
    def __init__(self) -> None:
        self.records: dict[str, ImportRecord] = {}
        self.calls: Counter[str] = Counter()
        # uai -> (holder execution id, lease end)
        self.leases: dict[str, tuple[str, datetime]] = {}
        self.uploads: dict[str, str] = {}

    def claim(self, record: ImportRecord) -> ImportRecord:
        self.calls["claim"] += 1
        return self.records.setdefault(record.import_id, record)

    def get(self, import_id: str) -> ImportRecord | None:
        self.calls["get"] += 1
        return self.records.get(import_id)

    def started_after(self, uai: str, started_at: datetime) -> list[ImportRecord]:
        self.calls["started_after"] += 1
        later = [record for record in self.records.values() if record.uai == uai and record.started_at > started_at]
        return sorted(later, key=lambda record: record.started_at)

    def save(
        self,
        record: ImportRecord,
        *,
        phase: ImportPhase | None = None,
        people: int | None = None,
        release_school: bool = False,
    ) -> None:
        self.calls["save"] += 1
        current = self.records.get(record.import_id)
        if current is None or current.execution_id != record.execution_id:
            raise ConcurrentChange("not the owner", code="concurrent_change")
        self._replace(record, current)
        if phase is not None:
            self._move_progress(record.import_id, phase=phase, people=people, processed=0)
        if release_school and record.uai is not None:
            self._release(record.uai, record.execution_id)

    def _replace(self, record: ImportRecord, current: ImportRecord) -> None:
        # As the adapter's update: the progress and the report e-mail's outcome, kept beside the record,
        # survive a save.
        kept = {"progress": current.progress}
        if current.report_mail is not None:
            kept["report_mail"] = current.report_mail
        self.records[record.import_id] = record.model_copy(update=kept)

    def acquire_school(self, uai: str, execution_id: str, *, now: datetime, lease: timedelta) -> str | None:
        self.calls["acquire_school"] += 1
        held = self.leases.get(uai)
        if held is not None and held[0] != execution_id and held[1] > now:
            return held[0]
        self.leases[uai] = (execution_id, now + lease)
        return None

    def release_school(self, uai: str, execution_id: str) -> None:
        self.calls["release_school"] += 1
        self._release(uai, execution_id)

    def _release(self, uai: str, execution_id: str) -> None:
        if self.leases.get(uai, ("", None))[0] == execution_id:
            del self.leases[uai]

    # Issue 8: progress, history and upload links, as the DynamoDB adapter keeps them.
    def link_upload(self, upload_id: str, import_id: str) -> None:
        self.calls["link_upload"] += 1
        self.uploads[upload_id] = import_id

    def import_of_upload(self, upload_id: str) -> str | None:
        return self.uploads.get(upload_id)

    def record_progress(
        self, import_id: str, *, phase: ImportPhase, people: int | None = None, processed: int = 0
    ) -> None:
        self.calls["record_progress"] += 1
        self._move_progress(import_id, phase=phase, people=people, processed=processed)

    def _move_progress(self, import_id: str, *, phase: ImportPhase, people: int | None, processed: int) -> None:
        record = self.records[import_id]
        progress = record.progress or ImportProgress()
        progress = progress.model_copy(
            update={
                "phase": phase,
                "people": progress.people if people is None else people,
                "processed": progress.processed + processed,
            }
        )
        self.records[import_id] = record.model_copy(update={"progress": progress})

    def record_report_mail(
        self, import_id: str, *, status: MailStatus, at: datetime, message_id: str | None, last_error: str | None
    ) -> bool:
        self.calls["record_report_mail"] += 1
        record = self.records.get(import_id)
        if record is None:
            return False
        previous = record.report_mail
        mail = ReportMailStatus(
            status=status,
            attempts=(previous.attempts if previous is not None else 0) + 1,
            updated_at=at,
            message_id=message_id,
            last_error=last_error,
        )
        self.records[import_id] = record.model_copy(update={"report_mail": mail})
        return True

    def recent(self, uai: str, limit: int) -> list[ImportRecord]:
        mine = [record for record in self.records.values() if record.uai == uai]
        return sorted(mine, key=lambda record: record.started_at, reverse=True)[:limit]

    # The scheduled sweep's query (the adapter's sparse plans-by-deadline index).
    def awaiting_decision_until(self, deadline: datetime) -> list[str]:
        self.calls["awaiting_decision_until"] += 1
        due = [
            record
            for record in self.records.values()
            if record.status is ImportStatus.AWAITING_DECISION
            and record.decision_deadline is not None
            and record.decision_deadline <= deadline
        ]
        return [record.import_id for record in sorted(due, key=lambda record: record.decision_deadline or deadline)]
