"""Where import records live (DynamoDB imports table in AWS)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from elea.models.import_record import ImportPhase, ImportRecord
from elea.models.report_mail_status import MailStatus


class ImportStore(Protocol):
    def claim(self, record: ImportRecord) -> ImportRecord:
        """Creates the record unless one exists for its import id (a conditional write), and returns
        the stored record: `record` itself, or the earlier claim of the same object."""
        ...

    def get(self, import_id: str) -> ImportRecord | None: ...

    def started_after(self, uai: str, started_at: datetime) -> list[ImportRecord]:
        """The imports of this UAI that started after `started_at`, oldest first (one per-UAI query)."""
        ...

    def save(
        self,
        record: ImportRecord,
        *,
        phase: ImportPhase | None = None,
        people: int | None = None,
        release_school: bool = False,
    ) -> None:
        """Replaces the record, only if it is still owned by `record.execution_id`
        (elea.errors.ConcurrentChange otherwise), in one write with:
        - `phase` (and `people`): the live progress moved on, as record_progress(phase, people) would;
        - `release_school`: the school's lease given back, as release_school(record.uai,
          record.execution_id) would, all or nothing (never a final record still holding the lease,
          nor the lease free before the record is final)."""
        ...

    def acquire_school(self, uai: str, execution_id: str, *, now: datetime, lease: timedelta) -> str | None:
        """Takes the school's lease for `execution_id` until now + lease (again if it already holds it, or
        if the holder's lease expired): None when taken, else the execution id that holds it.

        Two imports of one school never interleave: the parse step takes it, the report steps give it back."""
        ...

    def release_school(self, uai: str, execution_id: str) -> None:
        """Gives the school's lease back if `execution_id` holds it; does nothing otherwise."""
        ...

    def link_upload(self, upload_id: str, import_id: str) -> None:
        """Records which import the web page's upload became (the page polls for it)."""
        ...

    def record_progress(
        self, import_id: str, *, phase: ImportPhase, people: int | None = None, processed: int = 0
    ) -> None: ...

    def record_report_mail(
        self, import_id: str, *, status: MailStatus, at: datetime, message_id: str | None, last_error: str | None
    ) -> bool:
        """Sets the report e-mail's outcome on the record and counts one more attempt, in one write
        without reading the record first: False when no record exists under `import_id`."""
        ...


class ImportProgressStore(Protocol):
    def record_progress(
        self, import_id: str, *, phase: ImportPhase, people: int | None = None, processed: int = 0
    ) -> None:
        """Sets the phase (and the people count) and adds `processed` atomically."""
        ...


class ImportHistory(ImportStore, Protocol):
    """What the web page reads (always for one UAI, the session's) and decides (approval)."""

    def recent(self, uai: str, limit: int) -> list[ImportRecord]:
        """The UAI's latest imports, newest first."""
        ...

    def import_of_upload(self, upload_id: str) -> str | None: ...


class ExpiringPlans(ImportStore, Protocol):
    """What the scheduled sweep reads: the « Aperçu » imports still waiting for a decision."""

    def awaiting_decision_until(self, deadline: datetime) -> list[str]:
        """The ids of the imports awaiting a decision whose deadline is at or before `deadline`, oldest
        deadline first: one query of an index of the waiting plans only, never a scan of every import."""
        ...
