"""The chain when things go wrong: Lambda faults, refused files, mass departures, another school's file."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from elea.logic.approve_held import HoldSuperseded
from elea.models.import_record import ImportStatus
from elea_local.lambdas import Invocation, lambda_service_exception
from elea_local.runner import LocalChain
from elea_local.s3_event import object_created_event
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import ent_csv, ent_school, siecle_zip

pytestmark = pytest.mark.e2e

SCHOOL = ent_school(40, teachers=6, relatives=4)
IMPORTED = 46


class FailOnce:
    """Fails the second chunk's first Users invocation, in one of three ways."""

    def __init__(self, how: str) -> None:
        self.how = how
        self.failed = False
        self._lock = threading.Lock()

    def __call__(self, invocation: Invocation, proceed: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        with self._lock:
            strike = invocation.function == "UsersFunction" and invocation.payload["chunk"]["index"] == 1
            strike = strike and not self.failed
            self.failed = self.failed or strike
        if not strike:
            return proceed()
        if self.how == "answer-lost":
            proceed()  # the chunk is applied, then the answer never reaches Step Functions
            raise lambda_service_exception()
        if self.how == "invoke-failed":
            raise lambda_service_exception()
        error = {"errorType": "PlatformError", "errorMessage": "Le stockage n'a pas répondu."}
        return {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": error}


@pytest.mark.parametrize("how", ["answer-lost", "invoke-failed", "platform-error"])
def test_a_lambda_failing_once_in_the_map_is_retried_and_nothing_is_lost_or_doubled(
    how: str, make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    # GIVEN the second of three chunks fails once
    fault = FailOnce(how)
    result = make_chain(fault).run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # THEN the Map retried it and the import completed with exact counts
    assert fault.failed
    assert result.execution_statuses == ["SUCCEEDED"]
    assert result.record is not None
    assert result.record.counts is not None
    assert result.record.counts.created == IMPORTED
    assert result.record.counts.unchanged == 0
    assert [record.function for record in result.invocations].count("UsersFunction") >= 3
    # AND the platform has each account once
    again = make_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert again.record is not None
    assert again.record.counts is not None
    assert again.record.counts.unchanged == IMPORTED


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("export.csv", b""),
        ("export.csv", b"Ceci n'est pas un export.\n"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ],
)
def test_a_refused_file_gets_a_failure_report_and_is_deleted(
    name: str, body: bytes, make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    result = make_chain().run_file(write_file(name, body), UAI)
    assert result.execution_statuses == ["FAILED"]  # ends in the ImportNotCompleted Fail state
    assert result.status is ImportStatus.REFUSED
    assert result.record is not None
    assert result.record.failure is not None
    assert result.record.failure.message
    assert result.export_deleted
    assert result.leftover_keys == []
    assert result.report is not None
    assert result.report.failure == result.record.failure


def test_mass_departures_are_held_then_applied_on_approval(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    chain = make_chain()
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # GIVEN an export where 30 of the 46 accounts are missing (above max(20, 10 %))
    kept = [row for row in SCHOOL if row.type == "Élève"][:16]
    result = chain.run_file(write_file("export.csv", ent_csv(kept)), UAI)
    # THEN nothing is suspended, the 30 are held on the import record, the rest is applied
    assert result.record is not None
    assert result.record.counts is not None
    assert result.record.counts.suspended == 0
    assert result.record.counts.unchanged == 16
    assert len(result.record.held) == 30
    # WHEN the manager approves
    approval = chain.approve(result.import_id)
    # THEN the 30 are suspended; the next import of the same file suspends nobody else
    assert approval.suspended == 30
    after = chain.run_file(write_file("export.csv", ent_csv(kept)), UAI)
    assert after.record is not None
    assert after.record.counts is not None
    assert after.record.counts.suspended == 0
    assert after.record.held == []
    # AND a suspended account that comes back is reactivated
    back = chain.run_file(write_file("export.csv", ent_csv([*kept, SCHOOL[30]])), UAI)
    assert back.record is not None
    assert back.record.counts is not None
    assert back.record.counts.updated == 1


def test_approving_a_hold_after_a_later_full_import_is_refused_and_suspends_nobody(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    chain = make_chain()
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # GIVEN a partial export whose 30 departures were held, then the full export imported again
    partial = chain.run_file(
        write_file("export.csv", ent_csv([row for row in SCHOOL if row.type == "Élève"][:16])), UAI
    )
    assert partial.record is not None
    assert len(partial.record.held) == 30
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # WHEN the manager approves the old hold THEN it is refused with a stable code
    with pytest.raises(HoldSuperseded):
        chain.approve(partial.import_id)
    # AND nobody was suspended: the next import of the full file finds everyone unchanged
    again = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert again.record is not None
    assert again.record.counts is not None
    assert again.record.counts.unchanged == IMPORTED


def test_another_schools_siecle_file_is_refused_and_touches_nothing(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    chain = make_chain()
    # GIVEN this school's platform, and a SIECLE export whose UAJ is another school's
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    result = chain.run_file(write_file("ElevesSansAdresses.zip", siecle_zip("0771234Y", 10)), UAI)
    # THEN it is refused, deleted, and this school's accounts are as they were
    assert result.status is ImportStatus.REFUSED
    assert result.record is not None
    assert result.record.failure is not None
    assert result.record.failure.code == "uai_mismatch"
    assert result.export_deleted
    again = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert again.record is not None
    assert again.record.counts is not None
    assert again.record.counts.unchanged == IMPORTED
    assert again.record.counts.suspended == 0


def test_a_key_with_an_invalid_uai_is_refused_and_deleted(make_chain: Callable[..., LocalChain]) -> None:
    chain = make_chain()
    event = object_created_event(
        chain.stack.bucket_name, "imports/0750654E/export.csv", size=3, etag="x", sequencer="1"
    )
    result = chain.run_event(event, body=ent_csv(SCHOOL[:3]))
    assert result.status is ImportStatus.REFUSED
    assert result.record is not None
    assert result.record.uai is None
    assert result.record.failure is not None
    assert result.record.failure.code == "invalid_uai"
    assert result.leftover_keys == []
    assert json.loads(result.record.model_dump_json())["export_deleted"] is True
