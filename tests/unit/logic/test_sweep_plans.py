"""The scheduled sweep of « Aperçu » plans (issue 8, item 6): past its deadline, a plan nobody decided on
loses its export (children's data) and is marked expired, without anyone coming back to the page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from elea.errors import PlatformError
from elea.logic.planned_import import PlannedImportError, launch_planned_import
from elea.logic.sweep_plans import SweepIncomplete, sweep_expired_plans
from elea.models.import_record import ImportRecord, ImportStatus
from tests.fakes.memory_import_store import InMemoryImportStore
from tests.fakes.memory_staging import InMemoryStagingStore

UAI = "0771234Y"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _plan(imports: InMemoryImportStore, store: InMemoryStagingStore, name: str, deadline: datetime) -> ImportRecord:
    key = f"imports/{UAI}/{name}.csv"
    store.objects[key] = b"Nom;Pr\xc3\xa9nom\n"
    record = ImportRecord(
        import_id=name,
        execution_id=f"exec-{name}",
        bucket="bucket",
        upload_key=key,
        file_name=f"{name}.csv",
        uai=UAI,
        status=ImportStatus.AWAITING_DECISION,
        started_at=deadline - timedelta(minutes=31),
        dry_run=True,
        plan_key=f"reports/{UAI}/{name}/plan.json",
        decision_deadline=deadline,
    )
    imports.records[name] = record
    return record


def test_only_the_plans_past_their_deadline_lose_their_export_and_are_marked_expired() -> None:
    # GIVEN a plan past its deadline, one still within it, and one already launched
    imports, store = InMemoryImportStore(), InMemoryStagingStore()
    late = _plan(imports, store, "late", NOW - timedelta(minutes=1))
    fresh = _plan(imports, store, "fresh", NOW + timedelta(minutes=10))
    launched = _plan(imports, store, "launched", NOW - timedelta(minutes=5))
    imports.records["launched"] = launched.model_copy(update={"status": ImportStatus.LAUNCHED})
    store.objects[f"staging/{UAI}/late/chunk-0.jsonl"] = b"{}"
    # WHEN the sweep runs
    result = sweep_expired_plans(imports=imports, store=store, now=lambda: NOW)
    # THEN the late plan's export and any staging left are gone, and its record says it expired
    assert (result.due, result.expired, result.failed) == (1, 1, 0)
    assert late.upload_key not in store.objects
    assert store.keys(f"staging/{UAI}/late/") == []
    expired = imports.records["late"]
    assert expired.status is ImportStatus.EXPIRED
    assert expired.export_deleted
    assert expired.decided_at == NOW
    # AND the others are untouched
    assert fresh.upload_key in store.objects
    assert imports.records["fresh"].status is ImportStatus.AWAITING_DECISION
    assert launched.upload_key in store.objects
    assert imports.records["launched"].status is ImportStatus.LAUNCHED
    # AND it read the waiting plans through the store's index query, never each record of the table
    assert imports.calls["awaiting_decision_until"] == 1


def test_a_second_sweep_finds_nothing_left_to_do() -> None:
    imports, store = InMemoryImportStore(), InMemoryStagingStore()
    _plan(imports, store, "late", NOW - timedelta(minutes=1))
    sweep_expired_plans(imports=imports, store=store, now=lambda: NOW)
    again = sweep_expired_plans(imports=imports, store=store, now=lambda: NOW + timedelta(minutes=5))
    assert (again.due, again.expired) == (0, 0)


def test_launching_a_swept_plan_is_refused_as_expired_in_french() -> None:
    # GIVEN a plan the sweep expired WHEN the manager comes back and clicks « Lancer l'importation »
    imports, store = InMemoryImportStore(), InMemoryStagingStore()
    _plan(imports, store, "late", NOW - timedelta(minutes=1))
    sweep_expired_plans(imports=imports, store=store, now=lambda: NOW)
    with pytest.raises(PlannedImportError) as refused:
        launch_planned_import("late", UAI, store=store, imports=imports, now=lambda: NOW)
    # THEN the page says what happened and what to do, and nothing is copied back into the chain
    assert refused.value.code == "plan_expired"
    assert "supprimé" in refused.value.message
    assert "rien n'a été importé" in refused.value.message
    assert refused.value.hint == "Déposez à nouveau le fichier d'export."
    assert store.copied == []


class _FailingOnce(InMemoryStagingStore):
    """A bucket that refuses the first deletion (a throttled or denied call)."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals = 1

    def delete(self, keys: Sequence[str]) -> None:
        if self.refusals and any(key.startswith("imports/") for key in keys):
            self.refusals -= 1
            raise PlatformError("Le stockage n'a pas répondu.", code="storage_error")
        super().delete(keys)


def test_one_plan_that_cannot_be_expired_does_not_keep_the_others_and_the_run_fails_to_be_retried() -> None:
    # GIVEN two late plans and a bucket that refuses the first deletion
    imports, store = InMemoryImportStore(), _FailingOnce()
    first = _plan(imports, store, "first", NOW - timedelta(minutes=9))
    second = _plan(imports, store, "second", NOW - timedelta(minutes=2))
    # WHEN the sweep runs THEN it expires the second, and fails with the counts so the run is retried
    with pytest.raises(SweepIncomplete) as incomplete:
        sweep_expired_plans(imports=imports, store=store, now=lambda: NOW)
    assert (incomplete.value.result.due, incomplete.value.result.expired, incomplete.value.result.failed) == (2, 1, 1)
    assert second.upload_key not in store.objects
    assert imports.records["first"].status is ImportStatus.AWAITING_DECISION
    # AND the retry finishes the job
    retried = sweep_expired_plans(imports=imports, store=store, now=lambda: NOW)
    assert (retried.due, retried.expired, retried.failed) == (1, 1, 0)
    assert first.upload_key not in store.objects
