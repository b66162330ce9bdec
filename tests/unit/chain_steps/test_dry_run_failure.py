"""A dry run that fails never says accounts were written: it wrote nothing."""

from __future__ import annotations

from elea.logic.import_classes import import_classes
from elea.logic.parse_upload import parse_upload
from elea.logic.report_failure import FailureReporter
from elea.models.step_failure import StepError
from elea.models.step_inputs import ClassesRequest, FailureRequest
from elea.models.upload_flags import DRY_RUN_METADATA
from elea.models.written_before_failure import NOTHING_WRITTEN
from tests.fixtures.chain_rosters import ent_csv, ent_school
from tests.unit.chain_steps.in_memory_chain import InMemoryChain
from tests.unit.chain_steps.steps import EXECUTION, UAI, now, parse_request

KEY = f"imports/{UAI}/export.csv"


def test_a_failed_dry_run_says_nothing_was_changed_and_wrote_nothing() -> None:
    # GIVEN an « Aperçu » whose classes were planned, then a chunk crashed
    chain = InMemoryChain()
    chain.store.objects[KEY] = ent_csv(ent_school(25))
    chain.store.user_metadata[KEY] = {DRY_RUN_METADATA: "true"}
    request = parse_request(KEY)
    manifest = parse_upload(
        request,
        store=chain.store,
        imports=chain.imports,
        establishments=chain.establishments,
        limits=chain.limits,
        now=now,
    )
    assert manifest.dry_run
    cohorts = import_classes(ClassesRequest(manifest=manifest), store=chain.store, platform=chain.platform)
    chain.chunk(manifest, 0)
    crash = StepError.model_validate({"Error": "PlatformError"})
    # WHEN the failure report runs
    failed = FailureRequest(
        event=request.event, execution_id=EXECUTION, manifest=manifest, cohorts=cohorts, error=crash
    )
    outcome = FailureReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now).report(failed)
    # THEN the platform was never written, and the failure says so
    assert chain.platform.writes == 0
    record = chain.imports.records[outcome.import_id]
    assert record.failure is not None
    assert record.failure.what_was_written() == [NOTHING_WRITTEN]
    assert KEY not in chain.store.objects
