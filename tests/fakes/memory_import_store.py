"""An in-memory ImportStore with the DynamoDB adapter's conditional semantics."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from elea.errors import ConcurrentChange
from elea.models.import_record import ImportRecord


class InMemoryImportStore:
    def __init__(self) -> None:
        self.records: dict[str, ImportRecord] = {}
        self.calls: Counter[str] = Counter()
        # uai -> (holder execution id, lease end)
        self.leases: dict[str, tuple[str, datetime]] = {}

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

    def save(self, record: ImportRecord) -> None:
        self.calls["save"] += 1
        current = self.records.get(record.import_id)
        if current is None or current.execution_id != record.execution_id:
            raise ConcurrentChange("not the owner", code="concurrent_change")
        self.records[record.import_id] = record

    def acquire_school(self, uai: str, execution_id: str, *, now: datetime, lease: timedelta) -> str | None:
        self.calls["acquire_school"] += 1
        held = self.leases.get(uai)
        if held is not None and held[0] != execution_id and held[1] > now:
            return held[0]
        self.leases[uai] = (execution_id, now + lease)
        return None

    def release_school(self, uai: str, execution_id: str) -> None:
        self.calls["release_school"] += 1
        if self.leases.get(uai, ("", None))[0] == execution_id:
            del self.leases[uai]
