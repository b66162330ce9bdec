"""Where import records live (DynamoDB imports table in AWS)."""

from __future__ import annotations

from datetime import datetime
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
