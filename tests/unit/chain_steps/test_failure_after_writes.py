"""A technical failure after some writes says what was written (issue 9, item 6)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from elea.errors import PlatformUnavailable
from elea.logic.import_classes import import_classes
from elea.logic.parse_upload import parse_upload
from elea.logic.report_failure import FailureReporter
from elea.models.import_record import ImportStatus
from elea.models.import_report import ImportReport
from elea.models.object_created import ObjectCreated
from elea.models.step_failure import StepError
from elea.models.step_inputs import ClassesRequest, FailureRequest
from elea.models.written_before_failure import NOTHING_WRITTEN
from elea.ports.platform import Account, AccountChange, Cohort, Release
from tests.fakes.memory_platform import InMemoryPlatform
from tests.fixtures.chain_rosters import ent_csv, ent_school, renamed, siecle_zip
from tests.unit.chain_steps.in_memory_chain import InMemoryChain
from tests.unit.chain_steps.steps import EXECUTION, UAI, event, now, parse_request

KEY = f"imports/{UAI}/ElevesSansAdresses.zip"
ENT_KEY = f"imports/{UAI}/export.csv"
CRASH = StepError.model_validate({"Error": "PlatformError", "Cause": "trace with DURAND Léa"})


def failure_reporter(chain: InMemoryChain) -> FailureReporter:
    return FailureReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now)


def test_a_failure_in_the_users_map_reports_the_accounts_of_the_chunks_already_applied() -> None:
    # GIVEN 25 students in three chunks of 10, the classes done and the first two chunks applied
    chain = InMemoryChain()
    chain.store.objects[KEY] = siecle_zip(UAI, 25)
    request = parse_request(KEY)
    manifest = parse_upload(
        request,
        store=chain.store,
        imports=chain.imports,
        establishments=chain.establishments,
        limits=chain.limits,
        now=now,
    )
    cohorts = import_classes(ClassesRequest(manifest=manifest), store=chain.store, platform=chain.platform)
    chain.chunk(manifest, 0)
    chain.chunk(manifest, 1)
    # WHEN the third chunk fails for good and the Catch hands the state to the failure report
    failed = FailureRequest(
        event=request.event, execution_id=EXECUTION, manifest=manifest, cohorts=cohorts, error=CRASH
    )
    outcome = failure_reporter(chain).report(failed)
    # THEN the record, report.json and the outcome count the 20 accounts created, never "nothing changed"
    record = chain.imports.records[outcome.import_id]
    assert record.status is ImportStatus.FAILED
    assert record.failure is not None
    assert record.failure.written is not None
    assert record.failure.written.created == 20
    assert record.failure.written.interrupted
    assert record.counts is not None
    assert record.counts.created == 20
    assert outcome.counts.created == 20
    sentences = record.failure.what_was_written()
    assert "20 comptes ont été créés avant l'erreur." in sentences
    assert NOTHING_WRITTEN not in sentences
    assert record.report is not None
    report = ImportReport.model_validate_json(chain.store.objects[record.report.json_key])
    assert report.counts.created == 20
    assert report.failure == record.failure
    # AND the French message carries no technical name, the record no trace of the cause
    assert "PlatformError" not in record.failure.message
    assert "DURAND" not in record.model_dump_json()
    # AND the staging is gone as before
    assert chain.store.keys("staging/") == []


def test_a_failure_after_every_write_counts_them_all_and_is_not_said_interrupted() -> None:
    # GIVEN an import whose every writing step finished (the report step then failed)
    chain = InMemoryChain()
    done = chain.until_report(KEY, siecle_zip(UAI, 25))
    # WHEN the failure report runs
    failed = FailureRequest(
        event=ObjectCreated.model_validate(event(KEY, sequencer="01")),
        execution_id=EXECUTION,
        manifest=done.manifest,
        cohorts=done.cohorts,
        error=CRASH,
    )
    outcome = failure_reporter(chain).report(failed)
    # THEN all 25 creations are counted, and the wording does not claim other writes
    record = chain.imports.records[outcome.import_id]
    assert record.failure is not None
    assert record.failure.written is not None
    assert record.failure.written.created == 25
    assert not record.failure.written.interrupted
    assert record.failure.written.cohorts_created == done.cohorts.created
    assert not any("en cours d'écriture" in line for line in record.failure.what_was_written())


def test_a_failure_before_the_file_was_read_says_nothing_was_changed() -> None:
    # GIVEN a crash before any manifest
    chain = InMemoryChain()
    chain.store.objects[KEY] = b"whatever"
    request = FailureRequest(event=parse_request(KEY).event, execution_id=EXECUTION, error=CRASH)
    # WHEN the failure report runs
    outcome = failure_reporter(chain).report(request)
    # THEN nothing could have been written, and that is what it says
    record = chain.imports.records[outcome.import_id]
    assert record.failure is not None
    assert record.failure.written is None
    assert record.failure.what_was_written() == [NOTHING_WRITTEN]


class ReleaseDown(InMemoryPlatform):
    """The platform stops answering when the Deprovision step's release starts, once `down` is set."""

    down = False

    def release_accounts(
        self,
        uai: str,
        accounts: Sequence[Account],
        *,
        known_cohorts: Sequence[Cohort] | None = None,
        pending: Sequence[AccountChange] = (),
    ) -> Release:
        if self.down:
            raise PlatformUnavailable("La plateforme n'a pas répondu.")
        return super().release_accounts(uai, accounts, known_cohorts=known_cohorts, pending=pending)


def test_updates_left_to_a_release_that_failed_are_not_counted_as_made() -> None:
    # GIVEN 12 pupils imported, then a file renaming two of them, whose release fails for good
    rows = ent_school(12)
    chain = InMemoryChain(platform=ReleaseDown())
    chain.until_report(ENT_KEY, ent_csv(rows), sequencer="01")
    chain.platform.down = True
    with pytest.raises(PlatformUnavailable):
        chain.until_report(
            ENT_KEY, ent_csv([renamed(rows[0], "NOUVEAU"), renamed(rows[1], "AUTRE"), *rows[2:]]), sequencer="02"
        )
    # WHEN the failure report runs
    manifest = chain.manifests[-1]
    failed = FailureRequest(
        event=ObjectCreated.model_validate(event(ENT_KEY, sequencer="02")),
        execution_id=EXECUTION,
        manifest=manifest,
        error=CRASH,
    )
    outcome = failure_reporter(chain).report(failed)
    # THEN the two updates the chunk left to the release are not said made, and the wording says the import
    # stopped while writing
    record = chain.imports.records[outcome.import_id]
    assert record.failure is not None
    assert record.failure.written is not None
    assert record.failure.written.updated == 0
    assert record.failure.written.interrupted
    assert not any("ont été modifiés" in line or "a été modifié" in line for line in record.failure.what_was_written())
