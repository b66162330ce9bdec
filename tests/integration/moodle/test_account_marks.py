"""Account marks (issue 7, items 4 and 11): an import reads in Moodle only the accounts it cannot vouch for,
and every account at least once in ACCOUNTS_CHECKED_EVERY imports, so a change made by hand is noticed
within that many imports; memberships are read at every import; a lost mark costs a read, never a wrong
outcome; a token that cannot see accounts is still refused."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from moto import mock_aws

from elea.dal.dynamodb.moodle_marks import MAX_MARKS, DynamoDbAccountMarks
from elea.dal.moodle.errors import MoodleTokenInsufficient
from elea.dal.moodle.mapping import MoodleMapping
from elea.dal.moodle.platform import MoodlePlatform
from elea.dal.moodle.web_service import MoodleWebService
from elea.ports.account_marks import ACCOUNTS_CHECKED_EVERY, SchoolMarks
from elea.ports.platform import Account, AccountChange, AccountStatus, Cohort
from tests.fakes.fake_moodle import FakeMoodle
from tests.fakes.fake_moodle.state import INTEGRATION_CAPABILITIES
from tests.fakes.memory_account_marks import InMemoryAccountMarks
from tests.fakes.memory_roster_mirror import InMemoryRosterMirror
from tests.integration.moto_platform import TABLE, moto_client
from tests.unit.logic.builders import UAI, account

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

PEOPLE = 40


def platform_on(
    fake_moodle: FakeMoodle,
    marks: InMemoryAccountMarks,
    token: str | None = None,
    *,
    checked_every: int = ACCOUNTS_CHECKED_EVERY,
) -> MoodlePlatform:
    web_service = MoodleWebService(fake_moodle.url, token or fake_moodle.token, max_attempts=1)
    return MoodlePlatform(web_service, MoodleMapping(), InMemoryRosterMirror(), marks, checked_every=checked_every)


def people() -> list[Account]:
    return [account(f"eleve.{n:02d}", ent_id=f"E{n:02d}", last_name=f"Nom{n:02d}") for n in range(PEOPLE)]


def imported_school(platform: MoodlePlatform) -> list[Account]:
    """The school's first import: its class cohort, its roster and its accounts made; the file's people."""
    platform.school(UAI)
    platform.create_cohorts(UAI, [Cohort(idnumber=f"{UAI}$3A", name="3A", uai=UAI)])
    file = people()
    assert platform.write_accounts(UAI, [AccountChange(before=None, after=person) for person in file]) == []
    return file


def read_school(
    fake_moodle: FakeMoodle, platform: MoodlePlatform, expected: list[Account]
) -> tuple[list[Account], int]:
    """One import's read of the school: its accounts, and how many of them were read in Moodle."""
    fake_moodle.reset_calls()
    _, accounts = platform.school(UAI, expected)
    return accounts, fake_moodle.users_asked


def test_an_unchanged_school_is_read_a_turn_at_a_time_and_whole_over_the_turns(fake_moodle: FakeMoodle) -> None:
    # GIVEN a school of 40 imported into Moodle
    platform = platform_on(fake_moodle, InMemoryAccountMarks())
    file = imported_school(platform)
    # WHEN the same file is read ACCOUNTS_CHECKED_EVERY times
    reads = [read_school(fake_moodle, platform, file) for _ in range(ACCOUNTS_CHECKED_EVERY)]
    # THEN each import read about a quarter of the accounts in Moodle, and all of them over the turns
    asked = [count for _, count in reads]
    assert all(count <= PEOPLE // ACCOUNTS_CHECKED_EVERY + 1 for count in asked), asked
    assert sum(asked) == PEOPLE, asked
    # AND every read gives the same accounts, with their Moodle ids and their memberships as Moodle has them
    for accounts, _ in reads:
        assert [(a.username, a.ent_id, a.last_name, a.cohorts) for a in accounts] == [
            (p.username, p.ent_id, p.last_name, frozenset({f"{UAI}$3A"})) for p in file
        ]
        assert [a.account_id for a in accounts] == [a.account_id for a in reads[0][0]]
        assert all(a.account_id is not None and a.account_id.isdigit() for a in accounts)


def test_a_change_made_by_hand_in_moodle_is_seen_within_the_turns(fake_moodle: FakeMoodle) -> None:
    # GIVEN an imported school, and one pupil renamed and suspended by hand in Moodle
    platform = platform_on(fake_moodle, InMemoryAccountMarks())
    file = imported_school(platform)
    user = fake_moodle.state.user_named("eleve.07")
    assert user is not None
    user.lastname, user.suspended = "Renommé", True
    # WHEN the same file is read ACCOUNTS_CHECKED_EVERY times
    seen = [
        next(a for a in accounts if a.username == "eleve.07")
        for accounts, _ in (read_school(fake_moodle, platform, file) for _ in range(ACCOUNTS_CHECKED_EVERY))
    ]
    # THEN one of those reads shows the account as Moodle has it (the Users step then repairs it)
    assert any(a.last_name == "Renommé" and a.status is AccountStatus.SUSPENDED for a in seen), seen


def test_a_membership_changed_by_hand_is_seen_at_the_next_import(fake_moodle: FakeMoodle) -> None:
    # GIVEN an imported school, and one pupil taken out of its class cohort by hand
    platform = platform_on(fake_moodle, InMemoryAccountMarks())
    file = imported_school(platform)
    cohort, user = fake_moodle.state.cohort_numbered(f"{UAI}$3A"), fake_moodle.state.user_named("eleve.03")
    assert cohort is not None
    assert user is not None
    fake_moodle.state.members[cohort.id].discard(user.id)
    # WHEN the school is read again
    accounts, _ = read_school(fake_moodle, platform, file)
    # THEN the membership is missing at once, whether the account itself was read or not
    assert next(a for a in accounts if a.username == "eleve.03").cohorts == frozenset()


def test_a_person_the_file_changed_is_read_in_moodle(fake_moodle: FakeMoodle) -> None:
    # GIVEN an imported school, then a file where one pupil's first name changed
    platform = platform_on(fake_moodle, InMemoryAccountMarks())
    file = imported_school(platform)
    changed = [p.model_copy(update={"first_name": "Zoé"}) if p.username == "eleve.11" else p for p in file]
    for _ in range(ACCOUNTS_CHECKED_EVERY):
        # WHEN the school is read with that file
        accounts, _ = read_school(fake_moodle, platform, changed)
        # THEN that account is always the one Moodle holds, never what the file wants
        assert next(a for a in accounts if a.username == "eleve.11").first_name == "Léa"


@pytest.mark.parametrize("lost", ["this school's marks", "every mark"])
def test_lost_marks_cost_a_whole_read_never_a_wrong_account(fake_moodle: FakeMoodle, lost: str) -> None:
    # GIVEN an imported school whose marks are lost
    marks = InMemoryAccountMarks()
    platform = platform_on(fake_moodle, marks)
    file = imported_school(platform)
    marks.lose(UAI if lost == "this school's marks" else None)
    # WHEN the school is read
    accounts, asked = read_school(fake_moodle, platform, file)
    # THEN every account was read in Moodle, and the next read is a turn's again
    assert asked == PEOPLE
    assert len(accounts) == PEOPLE
    assert read_school(fake_moodle, platform, file)[1] <= PEOPLE // ACCOUNTS_CHECKED_EVERY + 1


def test_a_token_that_cannot_see_accounts_is_refused_even_when_every_account_is_marked(
    fake_moodle: FakeMoodle,
) -> None:
    # GIVEN an imported school, then a token whose role lost the view capabilities, with the same marks, and
    # turns so long that no account of the school is in this one's
    marks = InMemoryAccountMarks()
    file = imported_school(platform_on(fake_moodle, marks))
    blind = fake_moodle.token_with(INTEGRATION_CAPABILITIES - {"moodle/user:viewdetails", "moodle/user:viewalldetails"})
    platform = platform_on(fake_moodle, marks, blind, checked_every=10_000)
    fake_moodle.reset_calls()
    # WHEN the school is read, THEN the import stops before any write: at least one account is read each time
    with pytest.raises(MoodleTokenInsufficient):
        platform.school(UAI, file)
    assert fake_moodle.write_calls() == 0
    assert fake_moodle.users_asked == 1


def test_an_account_the_school_let_go_loses_its_mark(fake_moodle: FakeMoodle) -> None:
    # GIVEN an imported school that let one pupil go (suspended), who was then put back in its roster by hand
    platform = platform_on(fake_moodle, InMemoryAccountMarks())
    file = imported_school(platform)
    accounts, _ = read_school(fake_moodle, platform, file)
    leaver = next(a for a in accounts if a.username == "eleve.05")
    assert [a.username for a in platform.release_accounts(UAI, [leaver]).suspended] == ["eleve.05"]
    roster, user = fake_moodle.state.cohort_numbered(f"elea-inscrits-{UAI}"), fake_moodle.state.user_named("eleve.05")
    assert roster is not None
    assert user is not None
    fake_moodle.state.members[roster.id].add(user.id)
    # WHEN the file lists the pupil again
    accounts, _ = read_school(fake_moodle, platform, file)
    # THEN the account is read, and shows suspended (the Users step makes it active again)
    assert next(a for a in accounts if a.username == "eleve.05").status is AccountStatus.SUSPENDED


@pytest.fixture
def dynamodb() -> Iterator[DynamoDBClient]:
    with mock_aws():
        yield moto_client()


@pytest.mark.parametrize("adapter", ["dynamodb", "memory"])
def test_marks_noted_since_the_record_merge_in_and_a_conflict_or_a_forget_unmarks(
    dynamodb: DynamoDBClient, adapter: str
) -> None:
    # GIVEN a school's marks, recorded by its Classes step
    marks = DynamoDbAccountMarks(TABLE, "idf-77-3", dynamodb) if adapter == "dynamodb" else InMemoryAccountMarks()
    assert marks.read(UAI) is None
    marks.record(UAI, SchoolMarks(rounds=3, marks={1: "aaa", 2: "bbb", 3: "ccc", 4: "ddd"}))
    # WHEN two chunks and a release note what they wrote: a new account, a change, the same account twice
    # with two values, and a leaver forgotten
    marks.note(UAI, {5: "eee", 2: "BBB", 3: "c1"})
    marks.note(UAI, {3: "c2", 4: None})
    marks.note(UAI, {})
    # THEN one value each wins, a conflict or a forget leaves the account unmarked (it is read), and the
    # verification turn is kept
    assert marks.read(UAI) == SchoolMarks(rounds=3, marks={1: "aaa", 2: "BBB", 5: "eee"})
    # AND the next record replaces all of it; another school's marks are apart
    marks.record(UAI, SchoolMarks(rounds=4, marks={}))
    assert marks.read(UAI) == SchoolMarks(rounds=4, marks={})
    assert marks.read("0930001W") is None


def test_a_roster_too_large_for_one_item_keeps_no_marks(dynamodb: DynamoDBClient) -> None:
    # GIVEN more accounts than one DynamoDB item can mark
    marks = DynamoDbAccountMarks(TABLE, "idf-77-3", dynamodb)
    # WHEN recorded, THEN the turn is kept without marks: every account is read, as without marks
    marks.record(UAI, SchoolMarks(rounds=1, marks={n: "x" * 16 for n in range(MAX_MARKS + 1)}))
    assert marks.read(UAI) == SchoolMarks(rounds=1, marks={})
