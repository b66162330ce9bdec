"""Two imports of one school never interleave (the school's lease), on the template's state machine."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from elea.models.import_record import ImportStatus
from elea_local.lambdas import Invocation
from elea_local.runner import LocalChain
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import ent_csv, ent_school

pytestmark = pytest.mark.e2e

FIRST = ent_school(30, teachers=4)
SECOND = ent_school(8, start=500)
# A guard against a broken test, not a timing: the other import's parse step answers in milliseconds.
GUARD_SECONDS = 60


class HoldTheWinnerUntilTheOtherWaits:
    """Whichever import took the school first is held at its Classes step until the other one's parse step
    has been told the school is busy: the two imports surely overlap."""

    def __init__(self) -> None:
        self.other_waited = threading.Event()

    def __call__(self, invocation: Invocation, proceed: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if invocation.function == "ClassesFunction":
            self.other_waited.wait(GUARD_SECONDS)
            return proceed()
        answer = proceed()
        busy = answer.get("FunctionError") and answer["Payload"].get("errorType") == "SchoolImportBusy"
        if invocation.function == "ParseFunction" and busy:
            self.other_waited.set()
        return answer


def test_two_files_of_one_school_at_once_never_mix_and_the_second_is_reported_in_french(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    # GIVEN two different exports of the same school, dropped at the same moment
    hold = HoldTheWinnerUntilTheOtherWaits()
    chain = make_chain(hold)
    first, second = write_file("export.csv", ent_csv(FIRST)), write_file("export-corrige.csv", ent_csv(SECOND))
    # WHEN both imports run
    results = chain.run_files_at_once([first, second], UAI)
    # THEN one import took the school while the other waited for it (locally the state machine's waits are
    # instant, so the waiting one runs out of retries while the first is held)
    assert hold.other_waited.is_set()
    by_status = {result.status: result for result in results}
    assert set(by_status) == {ImportStatus.COMPLETED, ImportStatus.FAILED}
    done, waited = by_status[ImportStatus.COMPLETED], by_status[ImportStatus.FAILED]
    # AND the one that waited out its turn says so in French, wrote nothing, and its export is deleted
    assert waited.record is not None
    assert waited.record.failure is not None
    assert waited.record.failure.code == "school_import_busy"
    assert "un autre import de l'établissement" in waited.record.failure.message.lower()
    assert waited.export_deleted
    assert waited.report is not None
    assert waited.report.failure == waited.record.failure
    assert not any(key.startswith("imports/") for key in done.leftover_keys + waited.leftover_keys)
    # AND the platform holds the completed import's people only: its file again changes nothing at all
    winner = first if done.upload_key.endswith("/export.csv") else second
    people = len(FIRST) if winner == first else len(SECOND)
    again = make_chain().run_file(winner, UAI)
    assert again.record is not None
    assert again.record.counts is not None
    assert (again.record.counts.unchanged, again.record.counts.created, again.record.counts.suspended) == (
        people,
        0,
        0,
    )


def test_the_school_is_free_again_after_an_import_ends_well_or_badly(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    chain = make_chain()
    # GIVEN an import that completed and one refused (another school's file): each gave the school back
    assert chain.run_file(write_file("export.csv", ent_csv(FIRST)), UAI).status is ImportStatus.COMPLETED
    refused = chain.run_file(write_file("vide.csv", b""), UAI)
    assert refused.status is ImportStatus.REFUSED
    # WHEN the school drops its next file THEN it runs at once
    later = chain.run_file(write_file("export.csv", ent_csv(SECOND)), UAI)
    assert later.status is ImportStatus.COMPLETED
    assert later.execution_statuses == ["SUCCEEDED"]
