"""Who else lists a leaver, from the roster mirror (issue 7, items 3 and 11): a release reads no roster in
Moodle while the mirror holds every school; a lost record or census falls back to Moodle; two schools
letting one teacher go at the same moment leave it suspended, never active and attached to nobody."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from moto import mock_aws

from elea.dal.dynamodb.moodle_rosters import DynamoDbRosterMirror
from elea.dal.moodle.mapping import MoodleMapping
from elea.dal.moodle.platform import MoodlePlatform
from elea.dal.moodle.web_service import MoodleWebService
from elea.models.person import Profile
from elea.ports.platform import Account, AccountChange, AccountStatus, Cohort
from elea.ports.roster_mirror import SchoolRoster
from tests.fakes.fake_moodle import FakeMoodle
from tests.fakes.memory_roster_mirror import InMemoryRosterMirror
from tests.integration.moto_platform import TABLE, moto_client
from tests.unit.logic.builders import OTHER_UAI, UAI, account

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

ROSTER_READS = ("core_cohort_search_cohorts", "core_cohort_get_cohort_members")


def platform_on(fake_moodle: FakeMoodle, mirror: InMemoryRosterMirror) -> MoodlePlatform:
    web_service = MoodleWebService(fake_moodle.url, fake_moodle.token, max_attempts=1)
    return MoodlePlatform(web_service, MoodleMapping(), mirror)


def shared_teacher(platform: MoodlePlatform) -> Account:
    """A teacher both schools' imports list, each school read as its Classes step reads it (recorded)."""
    for uai in (UAI, OTHER_UAI):
        platform.create_cohorts(uai, [Cohort(idnumber=f"{uai}$3A", name="3A", uai=uai)])
    teacher = account("prof.dupont", ent_id="T1", classes=("3A",), profile=Profile.TEACHER)
    platform.write_accounts(UAI, [AccountChange(before=None, after=teacher)])
    [found] = platform.find_accounts(["prof.dupont"])
    joined = found.model_copy(update={"cohorts": frozenset({f"{OTHER_UAI}$3A"})})
    platform.write_accounts(OTHER_UAI, [AccountChange(before=found, after=joined, joining=True)])
    for uai in (UAI, OTHER_UAI):
        platform.school(uai)
    [here] = platform.accounts(UAI)
    return here


def test_a_release_reads_no_roster_in_moodle_when_the_mirror_holds_every_school(fake_moodle: FakeMoodle) -> None:
    # GIVEN a teacher shared by two schools, both recorded in the mirror
    platform = platform_on(fake_moodle, InMemoryRosterMirror())
    here = shared_teacher(platform)
    known = platform.cohorts(UAI)  # the Classes step's search, staged for the later steps
    fake_moodle.reset_calls()
    # WHEN the first school lets it go
    release = platform.release_accounts(UAI, [here], known_cohorts=known)
    # THEN it is kept active for the other school, detached from this one, without a roster read
    assert release.suspended == []
    assert not any(fake_moodle.calls[name] for name in ROSTER_READS), fake_moodle.calls
    user = fake_moodle.user("prof.dupont")
    assert user is not None
    assert not user.suspended
    assert "prof.dupont" not in fake_moodle.member_usernames(f"{UAI}$3A")


@pytest.mark.parametrize("lost", ["the other school's record", "this school's record", "the whole mirror"])
def test_a_lost_mirror_costs_a_moodle_read_never_a_wrong_suspension(fake_moodle: FakeMoodle, lost: str) -> None:
    # GIVEN a shared teacher, and part of the mirror lost
    mirror = InMemoryRosterMirror()
    platform = platform_on(fake_moodle, mirror)
    here = shared_teacher(platform)
    mirror.lose({"the other school's record": OTHER_UAI, "this school's record": UAI}.get(lost))
    fake_moodle.reset_calls()
    # WHEN the first school lets it go
    release = platform.release_accounts(UAI, [here])
    # THEN Moodle's rosters were read instead, and the other school keeps its teacher
    assert fake_moodle.calls["core_cohort_get_cohort_members"] >= 1
    assert release.suspended == []
    user = fake_moodle.user("prof.dupont")
    assert user is not None
    assert not user.suspended


def test_two_schools_letting_one_teacher_go_at_once_leave_it_suspended(fake_moodle: FakeMoodle) -> None:
    # GIVEN a shared teacher, and the other school letting it go at the very moment this one does: each
    # saw the other still listing it
    mirror = InMemoryRosterMirror()
    platform = platform_on(fake_moodle, mirror)
    here = shared_teacher(platform)
    [there] = platform.accounts(OTHER_UAI)
    mirror.after_removal = lambda _uai, ids: mirror.remove_members(OTHER_UAI, ids)
    # WHEN this school's release looks again, after the other school let it go too
    release = platform.release_accounts(UAI, [here])
    # THEN nobody lists it any more: suspended (never deleted), not left active and attached to nobody
    assert [account.username for account in release.suspended] == ["prof.dupont"]
    user = fake_moodle.user("prof.dupont")
    assert user is not None
    assert user.suspended
    assert there.status is AccountStatus.ACTIVE


def test_another_school_listing_it_meanwhile_gives_it_back(fake_moodle: FakeMoodle) -> None:
    # GIVEN a teacher only this school lists, and another school's import listing it while it is released
    mirror = InMemoryRosterMirror()
    platform = platform_on(fake_moodle, mirror)
    here = shared_teacher(platform)
    platform.release_accounts(OTHER_UAI, platform.accounts(OTHER_UAI))
    platform.school(OTHER_UAI)
    mirror.after_removal = lambda _uai, ids: mirror.add_members(OTHER_UAI, ids)
    # WHEN this school lets it go
    release = platform.release_accounts(UAI, [here])
    # THEN the suspension is undone: the other school lists it now
    assert release.suspended == []
    user = fake_moodle.user("prof.dupont")
    assert user is not None
    assert not user.suspended


@pytest.fixture
def dynamodb() -> Iterator[DynamoDBClient]:
    with mock_aws():
        yield moto_client()


def test_the_dynamodb_mirror_keeps_schools_and_trusts_a_census_only_once_made(dynamodb: DynamoDBClient) -> None:
    # GIVEN the mirror in the platform table
    mirror = DynamoDbRosterMirror(TABLE, "idf-77-3", dynamodb)
    # WHEN a school is recorded, then joined and left
    mirror.record_school(UAI, SchoolRoster(roster_id=7, members=frozenset({1, 2})))
    mirror.add_members(UAI, [3])
    mirror.remove_members(UAI, [1])
    mirror.add_members(OTHER_UAI, [9])  # no record: nothing is built from a few joiners
    read = mirror.read()
    # THEN the school's roster is what it lists, and no census is trusted before one is made from Moodle
    assert read.schools == {UAI: SchoolRoster(roster_id=7, members=frozenset({2, 3}))}
    assert read.census is None
    assert not mirror.has_census()
    mirror.record_census({OTHER_UAI: 8})
    assert mirror.read().census == {UAI: 7, OTHER_UAI: 8}
    assert mirror.has_census()
    # AND another platform's mirror is its own
    assert DynamoDbRosterMirror(TABLE, "idf-93-1", dynamodb).read().schools == {}
    assert not DynamoDbRosterMirror(TABLE, "idf-93-1", dynamodb).has_census()


def test_reading_a_school_asks_for_the_census_without_reading_every_roster(fake_moodle: FakeMoodle) -> None:
    # GIVEN two schools recorded in the mirror, the census made by the first read
    mirror = InMemoryRosterMirror()
    platform = platform_on(fake_moodle, mirror)
    shared_teacher(platform)
    reads = mirror.reads
    # WHEN a school's import reads it again (its Classes step)
    cohorts, accounts = platform.school(UAI)
    # THEN it is read in Moodle and recorded, without one whole read of the basin's mirror
    assert [account.username for account in accounts] == ["prof.dupont"]
    assert [cohort.idnumber for cohort in cohorts] == [f"{UAI}$3A"]
    assert mirror.reads == reads
    assert mirror.schools[UAI].members == frozenset({int(accounts[0].account_id or 0)})
