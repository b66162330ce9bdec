"""An import's updates and class removals left by its Users chunks to its release (issue 7, items 4 and 11):
written with the suspensions, one core_user_update_users and one core_cohort_delete_cohort_members for the
whole import, the additions made at once (under the username the account holds until then)."""

from __future__ import annotations

from elea.dal.moodle.mapping import MoodleMapping
from elea.dal.moodle.platform import MoodlePlatform
from elea.dal.moodle.web_service import MoodleWebService
from elea.ports.platform import Account, AccountChange, Cohort
from tests.fakes.fake_moodle import FakeMoodle
from tests.fakes.memory_roster_mirror import InMemoryRosterMirror
from tests.unit.logic.builders import UAI, account


def platform_on(fake_moodle: FakeMoodle) -> MoodlePlatform:
    web_service = MoodleWebService(fake_moodle.url, fake_moodle.token, max_attempts=2, sleep=lambda _: None)
    platform = MoodlePlatform(web_service, MoodleMapping(), InMemoryRosterMirror())
    platform.create_cohorts(UAI, [Cohort(idnumber=f"{UAI}${name}", name=name, uai=UAI) for name in ("3A", "4B")])
    return platform


def school_of(platform: MoodlePlatform, *usernames: str) -> dict[str, Account]:
    """Creates these pupils in 3A, then reads the school back as an import does."""
    platform.write_accounts(
        UAI, [AccountChange(before=None, after=account(name, ent_id=f"E-{name}")) for name in usernames]
    )
    return {found.username: found for found in platform.accounts(UAI)}


def moved_and_renamed(before: Account, username: str) -> AccountChange:
    after = before.model_copy(update={"username": username, "cohorts": frozenset({f"{UAI}$4B"})})
    return AccountChange(before=before, after=after)


def test_a_chunk_adds_at_once_and_leaves_the_update_and_the_removal_to_the_release(fake_moodle: FakeMoodle) -> None:
    # GIVEN a school of three pupils in 3A
    platform = platform_on(fake_moodle)
    school = school_of(platform, "ana", "bob", "cy")
    cohorts = platform.cohorts(UAI)
    fake_moodle.reset_calls()
    # WHEN a Users chunk moves ana to 4B under a new username, leaving what it may to the release
    change = moved_and_renamed(school["ana"], "ana.b")
    rejections = platform.write_accounts(UAI, [change], known_cohorts=cohorts, finish_at_release=True)
    # THEN she is already in 4B (added under the username she still holds), still in 3A, not renamed yet
    assert rejections == []
    assert "ana" in fake_moodle.member_usernames(f"{UAI}$4B")
    assert "ana" in fake_moodle.member_usernames(f"{UAI}$3A")
    assert fake_moodle.calls.get("core_user_update_users", 0) == 0, fake_moodle.calls
    assert fake_moodle.calls.get("core_cohort_delete_cohort_members", 0) == 0, fake_moodle.calls
    # WHEN the release lets cy go, with ana's change pending
    fake_moodle.reset_calls()
    release = platform.release_accounts(UAI, [school["cy"]], known_cohorts=cohorts, pending=[change])
    # THEN ana is renamed and out of 3A, cy suspended, in one update and one deletion call
    assert release.refused == []
    assert [suspended.username for suspended in release.suspended] == ["cy"]
    assert fake_moodle.member_usernames(f"{UAI}$4B") == {"ana.b"}
    assert fake_moodle.member_usernames(f"{UAI}$3A") == {"bob", "cy"}
    renamed, left = fake_moodle.user("ana.b"), fake_moodle.user("cy")
    assert renamed is not None
    assert not renamed.suspended
    assert left is not None
    assert left.suspended
    assert fake_moodle.calls["core_user_update_users"] == 1, fake_moodle.calls
    assert fake_moodle.calls["core_cohort_delete_cohort_members"] == 1, fake_moodle.calls


def test_a_release_with_nobody_to_let_go_still_writes_the_pending_changes_without_reading_rosters(
    fake_moodle: FakeMoodle,
) -> None:
    # GIVEN a chunk that left ana's move and rename to the release
    platform = platform_on(fake_moodle)
    school = school_of(platform, "ana", "bob")
    cohorts = platform.cohorts(UAI)
    change = moved_and_renamed(school["ana"], "ana.b")
    platform.write_accounts(UAI, [change], known_cohorts=cohorts, finish_at_release=True)
    fake_moodle.reset_calls()
    # WHEN the import ends with nobody absent (or every suspension held)
    release = platform.release_accounts(UAI, [], known_cohorts=cohorts, pending=[change])
    # THEN ana's change is written, with no look at the basin's rosters
    assert release.suspended == []
    assert release.refused == []
    assert fake_moodle.user("ana.b") is not None
    assert fake_moodle.member_usernames(f"{UAI}$3A") == {"bob"}
    assert fake_moodle.calls.get("core_cohort_search_cohorts", 0) == 0, fake_moodle.calls
    assert fake_moodle.write_calls() == 2, fake_moodle.calls


def test_a_pending_change_moodle_refuses_then_is_that_persons_refusal_and_the_rest_is_written(
    fake_moodle: FakeMoodle,
) -> None:
    # GIVEN a chunk that left two renames to the release, and an account made by hand meanwhile with the
    # username one of them wants
    platform = platform_on(fake_moodle)
    school = school_of(platform, "ana", "bob")
    cohorts = platform.cohorts(UAI)
    changes = [moved_and_renamed(school["ana"], "ana.b"), moved_and_renamed(school["bob"], "bob.b")]
    platform.write_accounts(UAI, changes, known_cohorts=cohorts, finish_at_release=True)
    fake_moodle.add_user("bob.b", idnumber="")
    # WHEN the release writes them
    release = platform.release_accounts(UAI, [], known_cohorts=cohorts, pending=changes)
    # THEN bob's rename is refused, in French, saying what did change (his class), and ana's is made
    assert [(refusal.username, refusal.code) for refusal in release.refused] == [("bob.b", "moodle_dmlwriteexception")]
    assert "ses classes sont à jour" in release.refused[0].message
    assert fake_moodle.user("ana.b") is not None
    assert fake_moodle.user("bob") is not None
    assert fake_moodle.member_usernames(f"{UAI}$4B") == {"ana.b", "bob"}
    assert fake_moodle.member_usernames(f"{UAI}$3A") == set()
