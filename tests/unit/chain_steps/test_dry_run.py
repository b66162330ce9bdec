"""« Aperçu » (issue 8, item 6): a dry run plans everything, writes nothing, then waits for a decision."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from elea.logic.build_report import ImportReporter
from elea.logic.planned_import import (
    PlannedImportError,
    cancel_planned_import,
    expire_planned_import,
    launch_planned_import,
)
from elea.logic.record_plan import PlanRecorder, read_plan
from elea.mail.import_record_summaries import ImportRecordSummaries
from elea.models.import_plan import ImportPlan
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.outcome import Outcome
from elea.models.upload_flags import DRY_RUN_METADATA, PLANNED_BY_METADATA
from tests.fixtures.chain_rosters import ent_csv, ent_school
from tests.unit.chain_steps.in_memory_chain import InMemoryChain
from tests.unit.chain_steps.steps import NOW, OTHER_UAI, UAI, now

KEY = f"imports/{UAI}/export.csv"
WINDOW = timedelta(minutes=30)
SCHOOL = ent_school(30, teachers=4)


def _import_for_real(chain: InMemoryChain, body: bytes, sequencer: str) -> None:
    request = chain.until_report(KEY, body, sequencer=sequencer)
    ImportReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now).report(request)


def _plan(chain: InMemoryChain, body: bytes, sequencer: str = "09") -> tuple[ImportRecord, ImportPlan]:
    """Drops `body` with the upload flag the web page sets, runs every step, then the report step."""
    chain.store.user_metadata[KEY] = {DRY_RUN_METADATA: "true"}
    request = chain.until_report(KEY, body, sequencer=sequencer)
    recorder = PlanRecorder(store=chain.store, imports=chain.imports, now=now, decision_window=WINDOW)
    outcome = recorder.record(request)
    record = chain.imports.records[outcome.import_id]
    assert record.plan_key is not None
    plan = read_plan(chain.store, record.plan_key)
    assert plan is not None
    return record, plan


def _school_changed() -> list:  # type: ignore[type-arg]
    # One renamed, one moved class, four gone, two new.
    rows = list(SCHOOL)
    rows[0] = dataclasses.replace(rows[0], last_name="NOUVEAU-NOM")
    rows[1] = dataclasses.replace(rows[1], classes=("5B",) if rows[1].classes != ("5B",) else ("6A",))
    return rows[:-4] + ent_school(2, start=100)


def test_a_dry_run_writes_nothing_to_the_platform_and_plans_every_change() -> None:
    # GIVEN a school imported once
    chain = InMemoryChain()
    _import_for_real(chain, ent_csv(SCHOOL), "01")
    before = chain.platform.all_accounts()
    chain.platform.reset_counts()
    # WHEN a changed export is dropped as an « Aperçu »
    record, plan = _plan(chain, ent_csv(_school_changed()))
    # THEN not one write call reached the platform
    assert chain.platform.writes == 0
    assert chain.platform.all_accounts() == before
    # AND the plan lists the creations, the updates field by field, the suspensions
    created = [a for a in plan.accounts if a.outcome is Outcome.CREATED]
    updated = [a for a in plan.accounts if a.outcome is Outcome.UPDATED]
    suspended = [a for a in plan.accounts if a.outcome is Outcome.SUSPENDED]
    assert len(created) == 2
    assert len(suspended) == 4
    renamed = next(a for a in updated if a.last_name == "NOUVEAU-NOM")
    assert [(c.field, c.before, c.after) for c in renamed.changes] == [
        ("last_name", SCHOOL[0].last_name, "NOUVEAU-NOM")
    ]
    moved = next(a for a in updated if any(c.field == "cohorts" for c in a.changes))
    assert moved.changes[0].before != moved.changes[0].after
    # AND the import waits for a decision, export kept, staging gone, no held suspension to approve
    assert record.status is ImportStatus.AWAITING_DECISION
    assert record.dry_run
    assert record.held == []
    assert record.decision_deadline == NOW + WINDOW
    assert KEY in chain.store.objects
    assert chain.store.keys("staging/") == []


def test_a_first_dry_run_plans_the_cohorts_to_create_and_creates_none() -> None:
    chain = InMemoryChain()
    _, plan = _plan(chain, ent_csv(SCHOOL))
    assert plan.cohorts.create == ["5A", "5B", "6A", "6B"]
    assert plan.count(Outcome.CREATED) == len(SCHOOL)
    assert chain.platform.cohorts(UAI) == []
    assert chain.platform.writes == 0


def test_launch_hands_the_kept_export_to_a_real_import() -> None:
    # GIVEN a plan awaiting its decision
    chain = InMemoryChain()
    record, _ = _plan(chain, ent_csv(SCHOOL))
    # WHEN the manager clicks « Lancer l'importation »
    launched = launch_planned_import(record.import_id, UAI, store=chain.store, imports=chain.imports, now=now)
    # THEN the export is rewritten without the flag (a new Object Created event) and the record says so
    assert chain.store.copied == [KEY]
    assert chain.store.user_metadata[KEY] == {DRY_RUN_METADATA: "false", PLANNED_BY_METADATA: record.import_id}
    assert launched.status is ImportStatus.LAUNCHED
    # AND that event's import is a real one: it writes
    _import_for_real(chain, chain.store.objects[KEY], "10")
    assert chain.platform.writes > 0
    assert len(chain.platform.accounts(UAI)) == len(SCHOOL)
    # AND the decision cannot be taken twice
    with pytest.raises(PlannedImportError) as again:
        launch_planned_import(record.import_id, UAI, store=chain.store, imports=chain.imports, now=now)
    assert again.value.code == "plan_not_awaiting_decision"


def test_cancel_deletes_the_export_at_once_and_imports_nothing() -> None:
    chain = InMemoryChain()
    record, _ = _plan(chain, ent_csv(SCHOOL))
    cancelled = cancel_planned_import(record.import_id, UAI, store=chain.store, imports=chain.imports, now=now)
    assert cancelled.status is ImportStatus.CANCELLED
    assert cancelled.export_deleted
    assert KEY not in chain.store.objects
    assert chain.platform.writes == 0


@pytest.mark.parametrize("decide", [launch_planned_import, cancel_planned_import])
def test_another_schools_plan_or_an_unknown_one_is_not_found(decide: object) -> None:
    # GIVEN school A's plan WHEN school B (or anyone, with a made-up id) decides on it
    chain = InMemoryChain()
    record, _ = _plan(chain, ent_csv(SCHOOL))
    for import_id, uai in ((record.import_id, OTHER_UAI), ("0" * 24, UAI)):
        with pytest.raises(PlannedImportError) as refused:
            decide(import_id, uai, store=chain.store, imports=chain.imports, now=now)  # type: ignore[operator]
        # THEN the same « introuvable », and nothing touched
        assert refused.value.code == "import_not_found"
    assert KEY in chain.store.objects
    assert chain.imports.records[record.import_id].status is ImportStatus.AWAITING_DECISION


def test_a_plan_past_its_deadline_cannot_be_launched_and_its_export_is_deleted() -> None:
    chain = InMemoryChain()
    record, _ = _plan(chain, ent_csv(SCHOOL))
    later = lambda: NOW + WINDOW + timedelta(seconds=1)  # noqa: E731
    with pytest.raises(PlannedImportError) as expired:
        launch_planned_import(record.import_id, UAI, store=chain.store, imports=chain.imports, now=later)
    assert expired.value.code == "plan_expired"
    assert KEY not in chain.store.objects
    assert chain.store.copied == []
    assert chain.imports.records[record.import_id].status is ImportStatus.EXPIRED  # not « Annulée »: nobody chose


def test_the_expiry_check_deletes_only_plans_past_their_deadline() -> None:
    chain = InMemoryChain()
    record, _ = _plan(chain, ent_csv(SCHOOL))
    assert not expire_planned_import(record.import_id, store=chain.store, imports=chain.imports, now=now)
    assert KEY in chain.store.objects
    later = lambda: NOW + WINDOW + timedelta(minutes=1)  # noqa: E731
    assert expire_planned_import(record.import_id, store=chain.store, imports=chain.imports, now=later)
    assert KEY not in chain.store.objects


def test_a_plan_has_no_import_report_to_send() -> None:
    # GIVEN a plan (awaiting, then cancelled) WHEN `report resend` looks for its report e-mail
    chain = InMemoryChain()
    record, _ = _plan(chain, ent_csv(SCHOOL))
    summaries = ImportRecordSummaries(imports=chain.imports, reports=chain.store)
    # THEN there is none: nothing was imported, no e-mail may say otherwise
    assert summaries.summary(record.import_id) is None
    cancel_planned_import(record.import_id, UAI, store=chain.store, imports=chain.imports, now=now)
    assert summaries.summary(record.import_id) is None
