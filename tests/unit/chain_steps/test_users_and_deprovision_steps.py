"""Users chunks and deprovisioning: retried steps report what was done, holds wait for approval."""

from __future__ import annotations

from datetime import timedelta

import pytest

from elea.errors import ConcurrentChange
from elea.logic.approve_held import HoldSuperseded, ImportNotFound, NothingToApprove, approve_held_suspensions
from elea.logic.staging_layout import StagedImport
from elea.models.import_record import ImportPhase, ImportStatus
from elea.models.outcome import Outcome
from elea.ports.platform import AccountStatus
from tests.fakes.memory_platform import PENDING_REFUSED
from tests.fixtures.chain_rosters import ent_csv, ent_school, renamed, siecle_zip
from tests.unit.chain_steps.in_memory_chain import InMemoryChain
from tests.unit.chain_steps.steps import UAI, now

KEY = f"imports/{UAI}/ElevesSansAdresses.zip"


def test_a_chunk_retried_after_its_answer_was_lost_reports_the_same_outcomes() -> None:
    # GIVEN a chunk that was applied (accounts created, outcomes staged) but whose answer was lost
    chain = InMemoryChain()
    request = chain.until_report(KEY, siecle_zip(UAI, 12))
    calls_before = sum(chain.platform.calls.values())
    # WHEN the Map retries it
    again = chain.chunk(request.manifest, 0)
    # THEN it says "created" again (not "unchanged"), without touching the platform
    assert again == request.chunks[0]
    assert again.counts.created == 10
    assert sum(chain.platform.calls.values()) == calls_before


def test_each_chunk_adds_its_people_to_the_import_s_progress_once_even_when_retried() -> None:
    # GIVEN a file of 25 people (three chunks of at most 10) run through the Users step
    chain = InMemoryChain()
    request = chain.until_report(KEY, siecle_zip(UAI, 25))
    # THEN the import's record shows the Users phase with the 25 people processed, chunk by chunk
    progress = chain.imports.records[request.manifest.import_id].progress
    assert progress is not None
    assert (progress.phase, progress.processed) == (ImportPhase.USERS, 25)
    # Parse moves it on with its save of the fingerprint, then one per chunk
    assert chain.imports.calls["record_progress"] == 3
    # WHEN a chunk is retried after its answer was lost THEN its people are not counted twice
    chain.chunk(request.manifest, 1)
    retried = chain.imports.records[request.manifest.import_id].progress
    assert retried is not None
    assert retried.processed == 25


def test_mass_departures_are_held_on_the_record_until_approved() -> None:
    # GIVEN 30 accounts, then a file with only 5 of them (25 departures > max(20, 10 %))
    chain = InMemoryChain()
    chain.until_report(KEY, siecle_zip(UAI, 30), sequencer="01")
    second = chain.until_report(KEY, siecle_zip(UAI, 5), sequencer="02")
    # THEN nothing is suspended yet and the 25 are held on the import record
    assert second.deprovision.suspended == 0
    assert second.deprovision.held == 25
    record = chain.imports.records[second.manifest.import_id]
    assert len(record.held) == 25
    active = [account for account in chain.platform.accounts(UAI) if account.status is AccountStatus.ACTIVE]
    assert len(active) == 30
    # WHEN the manager approves
    approval = approve_held_suspensions(
        record.import_id, imports=chain.imports, platforms=lambda _: chain.platform, now=now
    )
    # THEN the 25 are suspended (not deleted), and the record says so
    assert approval.suspended == 25
    statuses = [account.status for account in chain.platform.all_accounts()]
    assert statuses.count(AccountStatus.SUSPENDED) == 25
    assert len(statuses) == 30
    approved = chain.imports.records[record.import_id]
    assert approved.held == []
    assert approved.approved_suspensions == 25
    # AND a second approval has nothing left to do
    with pytest.raises(NothingToApprove):
        approve_held_suspensions(record.import_id, imports=chain.imports, platforms=lambda _: chain.platform, now=now)


def test_approving_an_unknown_import_says_so_in_french() -> None:
    chain = InMemoryChain()
    with pytest.raises(ImportNotFound) as missing:
        approve_held_suspensions("0" * 24, imports=chain.imports, platforms=lambda _: chain.platform, now=now)
    assert "Aucun import" in missing.value.message


def test_a_hold_superseded_by_a_later_completed_import_is_refused_and_suspends_nobody() -> None:
    # GIVEN 30 accounts, then a partial file whose 25 departures were held
    chain = InMemoryChain()
    chain.until_report(KEY, siecle_zip(UAI, 30), sequencer="01")
    held = chain.until_report(KEY, siecle_zip(UAI, 5), sequencer="02")
    record = chain.imports.records[held.manifest.import_id]
    assert len(record.held) == 25
    # AND an hour later the full export was imported again (everyone is back in the file)
    chain.imports.claim(
        record.model_copy(
            update={
                "import_id": "later",
                "execution_id": "later-execution",
                "held": [],
                "status": ImportStatus.COMPLETED,
                "started_at": record.started_at + timedelta(hours=1),
            }
        )
    )
    # WHEN the manager approves the old hold
    with pytest.raises(HoldSuperseded) as superseded:
        approve_held_suspensions(record.import_id, imports=chain.imports, platforms=lambda _: chain.platform, now=now)
    # THEN it is refused in French, nobody is suspended, and the hold stays on its record
    assert superseded.value.code == "hold_superseded"
    assert "later" in superseded.value.message
    assert all(account.status is AccountStatus.ACTIVE for account in chain.platform.accounts(UAI))
    assert len(chain.imports.records[record.import_id].held) == 25


def test_a_later_refused_import_does_not_supersede_a_hold() -> None:
    # GIVEN a hold, then a later file that was refused (it touched nothing)
    chain = InMemoryChain()
    chain.until_report(KEY, siecle_zip(UAI, 30), sequencer="01")
    held = chain.until_report(KEY, siecle_zip(UAI, 5), sequencer="02")
    record = chain.imports.records[held.manifest.import_id]
    chain.imports.claim(
        record.model_copy(
            update={
                "import_id": "refused",
                "execution_id": "refused-execution",
                "held": [],
                "status": ImportStatus.REFUSED,
                "started_at": record.started_at + timedelta(hours=1),
            }
        )
    )
    # WHEN the manager approves the hold THEN it is applied
    approval = approve_held_suspensions(
        record.import_id, imports=chain.imports, platforms=lambda _: chain.platform, now=now
    )
    assert approval.suspended == 25


def test_deprovision_reads_its_own_record_with_the_school_s_history() -> None:
    # GIVEN an import run up to the Deprovision step, its manifest saying when it was claimed
    chain = InMemoryChain()
    request = chain.until_report(KEY, siecle_zip(UAI, 12))
    assert request.manifest.started_at == chain.imports.records[request.manifest.import_id].started_at
    reads = chain.imports.calls["get"]
    # WHEN the step runs again (a retry)
    chain.deprovision(request.manifest)
    # THEN the history read was the only one: no read of the record alone
    assert chain.imports.calls["get"] == reads


def test_deprovision_of_a_manifest_without_its_start_reads_the_record_alone() -> None:
    # GIVEN a manifest from a Parse that did not carry the record's start (one in flight across a deploy)
    chain = InMemoryChain()
    request = chain.until_report(KEY, siecle_zip(UAI, 12))
    reads = chain.imports.calls["get"]
    # WHEN the step runs on it THEN it reads its record alone, and says the same
    summary = chain.deprovision(request.manifest.model_copy(update={"started_at": None}))
    assert chain.imports.calls["get"] == reads + 1
    assert summary == request.deprovision


def test_deprovision_leaves_another_execution_s_import_alone() -> None:
    # GIVEN an import whose record another execution now owns
    chain = InMemoryChain()
    request = chain.until_report(KEY, siecle_zip(UAI, 12))
    record = chain.imports.records[request.manifest.import_id]
    chain.imports.records[record.import_id] = record.model_copy(update={"execution_id": "another"})
    # WHEN this execution's Deprovision step runs THEN it is told the import changed hands
    with pytest.raises(ConcurrentChange):
        chain.deprovision(request.manifest)


ENT_KEY = f"imports/{UAI}/export.csv"


def test_a_chunk_hands_its_updates_to_the_release_and_a_late_refusal_is_that_person_s_row_error() -> None:
    # GIVEN 12 pupils imported, then a file where two of them have a new last name
    rows = ent_school(12)
    chain = InMemoryChain()
    chain.until_report(ENT_KEY, ent_csv(rows), sequencer="01")
    changed = [renamed(rows[0], "NOUVEAU"), renamed(rows[1], "AUTRE"), *rows[2:]]
    # AND a platform that refuses, at the release, the first one's update
    chain.platform.refuse_pending = {rows[0].login.lower()}
    # WHEN it is imported
    second = chain.until_report(ENT_KEY, ent_csv(changed), sequencer="02")
    # THEN the chunks handed both updates to Deprovision's release
    assert sorted(change.after.last_name for change in chain.platform.pending_seen) == ["AUTRE", "NOUVEAU"]
    # AND the refused one is that person's row error in the staged outcomes the report is made of, the other
    # updated
    staged = StagedImport(chain.store, second.manifest.staging_prefix or "")
    outcomes = [o for chunk in second.chunks for o in staged.read_outcomes(chunk.outcomes_key) or []]
    by_id = {outcome.id: outcome for outcome in outcomes}
    refused, updated = by_id[rows[0].id], by_id[rows[1].id]
    assert (refused.outcome, refused.message) == (Outcome.ERROR, PENDING_REFUSED)
    assert refused.changed_fields == ()
    assert (updated.outcome, updated.changed_fields) == (Outcome.UPDATED, ("last_name",))


def test_a_hold_of_the_suspensions_still_hands_the_chunks_updates_to_the_release() -> None:
    # GIVEN 30 pupils, then a file with only 5 of them, one with a new last name (25 departures: held)
    rows = ent_school(30)
    chain = InMemoryChain()
    chain.until_report(ENT_KEY, ent_csv(rows), sequencer="01")
    second = chain.until_report(ENT_KEY, ent_csv([renamed(rows[0], "NOUVEAU"), *rows[1:5]]), sequencer="02")
    # THEN the suspensions are held, the update is not: the release was given it
    assert second.deprovision.held == 25
    assert [change.after.last_name for change in chain.platform.pending_seen] == ["NOUVEAU"]
