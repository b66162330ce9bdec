"""Two imports of one school never interleave: the school's lease, taken by the parse step and given back
by the report steps; a second import waits (SchoolImportBusy, retried by the state machine)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from elea.errors import SchoolImportBusy
from elea.logic.build_report import ImportReporter
from elea.logic.parse_upload import parse_upload
from elea.logic.report_failure import FailureReporter
from elea.logic.school_lease import SCHOOL_LEASE
from elea.models.import_record import ImportStatus
from elea.models.object_created import ObjectCreated
from elea.models.parse_manifest import ParseStatus
from elea.models.step_failure import StepError
from elea.models.step_inputs import FailureRequest, ParseRequest
from tests.fixtures.chain_rosters import siecle_zip
from tests.unit.chain_steps.in_memory_chain import InMemoryChain
from tests.unit.chain_steps.steps import EXECUTION, NOW, OTHER_EXECUTION, UAI, event, now

FIRST_KEY = f"imports/{UAI}/ElevesSansAdresses.zip"
SECOND_KEY = f"imports/{UAI}/ElevesSansAdresses (1).zip"


def second_request() -> ParseRequest:
    return ParseRequest(
        event=ObjectCreated.model_validate(event(SECOND_KEY, sequencer="0077")), execution_id=OTHER_EXECUTION
    )


def test_a_second_import_of_the_school_waits_while_the_first_runs_then_proceeds() -> None:
    # GIVEN a first import of the school, staged and writing the platform (not reported yet)
    chain = InMemoryChain()
    report_request = chain.until_report(FIRST_KEY, siecle_zip(UAI, 12))
    chain.store.objects[SECOND_KEY] = siecle_zip(UAI, 5)
    writes_before = chain.store.calls["put"]
    # WHEN a second file of the same school arrives meanwhile
    with pytest.raises(SchoolImportBusy) as busy:
        parse_upload(
            second_request(),
            store=chain.store,
            imports=chain.imports,
            establishments=chain.establishments,
            limits=chain.limits,
            now=now,
        )
    # THEN its parse step stops before reading or staging anything, in French, without personal data
    assert "import de l'établissement" in busy.value.message
    assert chain.store.calls["put"] == writes_before
    assert SECOND_KEY in chain.store.objects  # still there for the retry
    # WHEN the first import is reported THEN the school is free, and the retried parse step proceeds
    ImportReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now).report(report_request)
    manifest = parse_upload(
        second_request(),
        store=chain.store,
        imports=chain.imports,
        establishments=chain.establishments,
        limits=chain.limits,
        now=now,
    )
    assert manifest.status is ParseStatus.READY
    assert manifest.people_count == 5
    assert chain.imports.leases[UAI][0] == OTHER_EXECUTION


def test_a_retried_parse_of_the_holder_takes_its_own_lease_again() -> None:
    chain = InMemoryChain()
    chain.until_report(FIRST_KEY, siecle_zip(UAI, 3))
    # WHEN Step Functions retries the holder's parse step (a lost answer) THEN it is not blocked by itself
    request = ParseRequest(event=ObjectCreated.model_validate(event(FIRST_KEY, sequencer="01")), execution_id=EXECUTION)
    manifest = parse_upload(
        request,
        store=chain.store,
        imports=chain.imports,
        establishments=chain.establishments,
        limits=chain.limits,
        now=now,
    )
    assert manifest.status is ParseStatus.READY


def test_a_lease_left_by_an_execution_that_never_reported_expires_with_the_execution_timeout() -> None:
    # GIVEN a holder stopped without any report (its lease ends when the state machine would stop it)
    chain = InMemoryChain()
    chain.until_report(FIRST_KEY, siecle_zip(UAI, 3))
    chain.store.objects[SECOND_KEY] = siecle_zip(UAI, 5)

    def later() -> datetime:
        return NOW + SCHOOL_LEASE + timedelta(seconds=1)

    # WHEN a new import comes after that THEN it takes the school
    manifest = parse_upload(
        second_request(),
        store=chain.store,
        imports=chain.imports,
        establishments=chain.establishments,
        limits=chain.limits,
        now=later,
    )
    assert manifest.status is ParseStatus.READY


def test_an_import_that_gave_up_waiting_is_reported_in_french_and_leaves_the_holder_alone() -> None:
    # GIVEN a first import holding the school, and a second one whose waits ran out
    chain = InMemoryChain()
    chain.until_report(FIRST_KEY, siecle_zip(UAI, 3))
    chain.store.objects[SECOND_KEY] = siecle_zip(UAI, 5)
    with pytest.raises(SchoolImportBusy):
        parse_upload(
            second_request(),
            store=chain.store,
            imports=chain.imports,
            establishments=chain.establishments,
            limits=chain.limits,
            now=now,
        )
    # WHEN the failure report runs with the error the state machine caught
    failure = FailureRequest(
        event=second_request().event,
        execution_id=OTHER_EXECUTION,
        error=StepError.model_validate({"Error": "SchoolImportBusy", "Cause": "…"}),
    )
    outcome = FailureReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now).report(
        failure
    )
    # THEN the school is told why, the export is deleted, and the first import still holds the school
    record = chain.imports.records[outcome.import_id]
    assert record.status is ImportStatus.FAILED
    assert record.failure is not None
    assert record.failure.code == "school_import_busy"
    assert "un autre import" in record.failure.message.lower()
    assert SECOND_KEY not in chain.store.objects
    assert chain.imports.leases[UAI][0] == EXECUTION


def test_a_platform_that_did_not_answer_is_reported_in_french() -> None:
    # GIVEN an import whose platform step ran out of retries on a Moodle that did not answer
    chain = InMemoryChain()
    chain.until_report(FIRST_KEY, siecle_zip(UAI, 3))
    failure = FailureRequest(
        event=ObjectCreated.model_validate(event(FIRST_KEY, sequencer="01")),
        execution_id=EXECUTION,
        error=StepError.model_validate({"Error": "MoodleUnavailable", "Cause": "…"}),
    )
    outcome = FailureReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now).report(
        failure
    )
    # THEN the record says the platform did not answer and what to do, the export is gone, the school is free
    record = chain.imports.records[outcome.import_id]
    assert record.failure is not None
    assert record.failure.code == "platform_unavailable"
    assert "la plateforme éléa n'a pas répondu" in record.failure.message.lower()
    assert record.failure.hint is not None
    assert "à nouveau" in record.failure.hint
    assert FIRST_KEY not in chain.store.objects
    assert UAI not in chain.imports.leases


def test_a_school_missing_from_the_registry_is_reported_in_french() -> None:
    chain = InMemoryChain()
    chain.until_report(FIRST_KEY, siecle_zip(UAI, 3))
    failure = FailureRequest(
        event=ObjectCreated.model_validate(event(FIRST_KEY, sequencer="01")),
        execution_id=EXECUTION,
        error=StepError.model_validate({"Error": "EstablishmentNotRegistered"}),
    )
    outcome = FailureReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now).report(
        failure
    )
    record = chain.imports.records[outcome.import_id]
    assert record.failure is not None
    assert record.failure.code == "establishment_not_registered"
    assert "pas inscrit" in record.failure.message
