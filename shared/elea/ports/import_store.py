"""Where import records live (DynamoDB imports table in AWS)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from elea.models.import_record import ImportRecord


class ImportStore(Protocol):
    def claim(self, record: ImportRecord) -> ImportRecord:
        """Creates the record unless one exists for its import id (a conditional write), and returns
        the stored record: `record` itself, or the earlier claim of the same object."""
        ...

    def get(self, import_id: str) -> ImportRecord | None: ...

    def started_after(self, uai: str, started_at: datetime) -> list[ImportRecord]:
        """The imports of this UAI that started after `started_at`, oldest first (one per-UAI query)."""
        ...

    def save(self, record: ImportRecord) -> None:
        """Replaces the record, only if it is still owned by `record.execution_id`
        (elea.errors.ConcurrentChange otherwise)."""
        ...

    def acquire_school(self, uai: str, execution_id: str, *, now: datetime, lease: timedelta) -> str | None:
        """Takes the school's lease for `execution_id` until now + lease (again if it already holds it, or
        if the holder's lease expired): None when taken, else the execution id that holds it.

        Two imports of one school never interleave: the parse step takes it, the report steps give it back."""
        ...

    def release_school(self, uai: str, execution_id: str) -> None:
        """Gives the school's lease back if `execution_id` holds it; does nothing otherwise."""
        ...
