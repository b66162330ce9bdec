"""The Platform contract, run against the in-memory fake, the DynamoDB adapter on moto and MoodlePlatform on
the fake Moodle web-service server (a real HTTP server on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from moto import mock_aws

from elea.dal.dynamodb.batch import Backoff
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.dal.dynamodb.platform_table import uai_partition
from elea.dal.moodle.mapping import MoodleMapping
from elea.dal.moodle.platform import MoodlePlatform
from elea.dal.moodle.web_service import MoodleWebService
from elea.errors import PlatformError
from elea.models.person import Profile
from elea.ports.platform import Account, AccountChange, AccountOrigin, AccountRejection, AccountStatus, Cohort, Platform
from tests.fakes.fake_moodle import FakeMoodle
from tests.fakes.memory_platform import InMemoryPlatform
from tests.fakes.memory_roster_mirror import InMemoryRosterMirror
from tests.integration.moto_platform import TABLE, moto_client, moto_platform
from tests.unit.logic.builders import OTHER_UAI, UAI, account

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


@pytest.fixture
def dynamodb() -> Iterator[DynamoDBClient]:
    with mock_aws():
        yield moto_client()


@pytest.fixture(params=["memory", "dynamodb", "moodle"])
def platform(request: pytest.FixtureRequest) -> Platform:
    if request.param == "memory":
        return InMemoryPlatform()
    if request.param == "moodle":
        fake: FakeMoodle = request.getfixturevalue("fake_moodle")
        return MoodlePlatform(
            MoodleWebService(fake.url, fake.token, max_attempts=1), MoodleMapping(), InMemoryRosterMirror()
        )
    # A small page size so every read of these tests crosses pages.
    return moto_platform(request.getfixturevalue("dynamodb"), page_size=3)


def without_id(accounts: list[Account]) -> list[Account]:
    return sorted((item.model_copy(update={"account_id": None}) for item in accounts), key=lambda item: item.username)


def create(platform: Platform, uai: str, accounts: list[Account]) -> list[AccountRejection]:
    """Creates the accounts' cohorts first (Moodle needs them to exist for memberships), then the accounts."""
    cohorts = {idnumber for item in accounts for idnumber in item.cohorts if idnumber.startswith(f"{uai}$")}
    platform.create_cohorts(uai, [Cohort(idnumber=idn, name=idn.split("$", 1)[1], uai=uai) for idn in sorted(cohorts)])
    return platform.write_accounts(uai, [AccountChange(before=None, after=item) for item in accounts])


def with_cohorts(platform: Platform, uai: str, *names: str) -> None:
    platform.create_cohorts(uai, [Cohort(idnumber=f"{uai}${name}", name=name, uai=uai) for name in names])


def taken(platform: Platform, usernames: list[str]) -> set[str]:
    return {item.username.lower() for item in platform.find_accounts(usernames)}


def test_empty_uai_has_nothing(platform: Platform) -> None:
    assert platform.accounts(UAI) == []
    assert platform.cohorts(UAI) == []
    assert platform.find_accounts([]) == []
    assert platform.find_accounts(["personne"]) == []


def test_the_school_is_its_cohorts_and_its_accounts_read_together(platform: Platform) -> None:
    # GIVEN a school with cohorts and accounts, and another school beside it
    create(platform, UAI, [account("eleve.un", ent_id="1"), account("eleve.deux", ent_id="2")])
    with_cohorts(platform, UAI, "4B")
    create(platform, OTHER_UAI, [account("eleve.ailleurs", ent_id="3", uai=OTHER_UAI, classes=("6C",))])
    # WHEN the school is read in one go
    cohorts, accounts = platform.school(UAI)
    # THEN it is what its two reads say, and nothing of the other school
    assert cohorts == platform.cohorts(UAI)
    assert sorted(accounts, key=lambda item: item.username) == sorted(
        platform.accounts(UAI), key=lambda item: item.username
    )
    assert [cohort.idnumber for cohort in cohorts] == [f"{UAI}$3A", f"{UAI}$4B"]
    assert sorted(item.username for item in accounts) == ["eleve.deux", "eleve.un"]


def test_accounts_round_trip_with_an_assigned_id(platform: Platform) -> None:
    # GIVEN accounts with every kind of field the import writes
    written = [
        account("lea.martin", ent_id="1", classes=("3A", "3B")),
        account("tom.petit", ent_id="2", classes=(), profile=Profile.TEACHER),
        account(
            "ines.roux", ent_id="siecle:3", classes=("4C",), origin=AccountOrigin.SIECLE, profile=Profile.PERSONNEL
        ),
    ]
    # WHEN created for the school and read back
    assert create(platform, UAI, written) == []
    read = platform.accounts(UAI)
    # THEN they are the same, each with a platform id, and found by username (any case) too
    assert without_id(read) == without_id(written)
    assert all(item.account_id for item in read)
    assert taken(platform, ["LEA.MARTIN", "tom.petit", "nobody"]) == {"lea.martin", "tom.petit"}


def test_writing_the_same_state_twice_is_a_no_op(platform: Platform) -> None:
    # GIVEN a creation retried (before None both times, as after a crash) and a rewrite of what was read
    creation = [account(f"user.{index}", ent_id=str(index)) for index in range(30)]
    create(platform, UAI, creation)
    assert create(platform, UAI, creation) == []
    first = platform.accounts(UAI)
    platform.write_accounts(UAI, [AccountChange(before=item, after=item) for item in first])
    # THEN there is one account per person, unchanged
    assert platform.accounts(UAI) == first
    assert len(first) == 30
    assert len(platform.find_accounts([f"user.{index}" for index in range(30)])) == 30


def test_a_username_held_by_someone_else_is_a_rejection_and_the_rest_is_written(platform: Platform) -> None:
    create(platform, UAI, [account("lea.martin", ent_id="1")])
    rejected = create(platform, UAI, [account("lea.martin", ent_id="2"), account("tom.petit", ent_id="3")])
    assert [(item.username, item.code) for item in rejected] == [("lea.martin", "username_taken")]
    assert sorted(item.ent_id or "" for item in platform.accounts(UAI)) == ["1", "3"]


def test_changes_write_fields_and_memberships(platform: Platform) -> None:
    # GIVEN an account in 3A
    create(platform, UAI, [account("ancien.login", ent_id="1", classes=("3A",))])
    with_cohorts(platform, UAI, "3A", "4B")
    [before] = platform.accounts(UAI)
    # WHEN renamed, moved to 4B and given a new last name
    after = before.model_copy(
        update={"username": "nouveau.login", "last_name": "Bernard", "cohorts": frozenset({f"{UAI}$4B"})}
    )
    assert platform.write_accounts(UAI, [AccountChange(before=before, after=after)]) == []
    # THEN the id is kept, the old username freed, the memberships moved
    [read] = platform.accounts(UAI)
    assert (read.account_id, read.username, read.last_name, read.cohorts) == (
        before.account_id, "nouveau.login", "Bernard", frozenset({f"{UAI}$4B"})
    )  # fmt: skip
    assert taken(platform, ["ancien.login", "nouveau.login"]) == {"nouveau.login"}


def test_one_account_shared_by_two_schools(platform: Platform) -> None:
    # GIVEN a teacher imported by one school
    create(platform, UAI, [account("prof.dupont", ent_id="T1", classes=("3A",), profile=Profile.TEACHER)])
    [found] = platform.find_accounts(["prof.dupont"])
    with_cohorts(platform, OTHER_UAI, "6C")
    # WHEN the other school imports the same person: its own cohorts, the same account
    joined = found.model_copy(update={"cohorts": frozenset({f"{OTHER_UAI}$6C"})})
    platform.write_accounts(OTHER_UAI, [AccountChange(before=found, after=joined)])
    # THEN one account, each school seeing it with its own memberships only
    [here] = platform.accounts(UAI)
    [there] = platform.accounts(OTHER_UAI)
    assert here.account_id == there.account_id == found.account_id
    assert {c for c in here.cohorts if c.startswith(UAI)} == {f"{UAI}$3A"}
    assert {c for c in there.cohorts if c.startswith(OTHER_UAI)} == {f"{OTHER_UAI}$6C"}
    assert len(platform.find_accounts(["prof.dupont"])) == 1
    # WHEN the first school no longer lists it THEN it is released, not suspended: the other still lists it
    assert platform.release_accounts(UAI, [here]).suspended == []
    assert platform.accounts(UAI) == []
    [still] = platform.accounts(OTHER_UAI)
    assert still.status is AccountStatus.ACTIVE
    assert {c for c in still.cohorts if c.startswith(OTHER_UAI)} == {f"{OTHER_UAI}$6C"}
    # WHEN the other school lets it go too THEN it is suspended, never deleted
    [suspended] = platform.release_accounts(OTHER_UAI, [still]).suspended
    assert suspended.account_id == found.account_id
    [gone] = platform.find_accounts(["prof.dupont"])
    assert gone.status is AccountStatus.SUSPENDED
    # AND releasing again is a no-op
    assert platform.release_accounts(OTHER_UAI, [still]).suspended == []


def test_look_alike_usernames_are_one_identity_whatever_the_adapter(platform: Platform) -> None:
    # GIVEN an account (Moodle keeps usernames in lowercase ASCII; the others store them as written)
    create(platform, UAI, [account("helene.martin", ent_id="1")])
    # THEN its look-alikes (capitals, full-width forms) find it, another name does not
    look_alikes = [
        "HELENE.MARTIN",
        "Helene.Martin",
        "\uff48\uff45\uff4c\uff45\uff4e\uff45.\uff4d\uff41\uff52\uff54\uff49\uff4e",
    ]
    for name in look_alikes:
        assert [item.ent_id for item in platform.find_accounts([name])] == ["1"], name
    assert platform.find_accounts(["helene.durand"]) == []


def test_many_candidates_are_checked(platform: Platform) -> None:
    create(platform, UAI, [account(f"user.{index:03d}", ent_id=str(index)) for index in range(0, 260, 2)])
    candidates = [f"user.{index:03d}" for index in range(260)]
    assert taken(platform, candidates) == set(candidates[::2])


def test_a_school_never_touches_another_schools_memberships(platform: Platform) -> None:
    # GIVEN a shared account in both schools' cohorts
    create(platform, UAI, [account("prof.dupont", ent_id="T1", classes=("3A",))])
    with_cohorts(platform, UAI, "4Z")
    with_cohorts(platform, OTHER_UAI, "6C")
    [found] = platform.find_accounts(["prof.dupont"])
    platform.write_accounts(
        OTHER_UAI,
        [AccountChange(before=found, after=found.model_copy(update={"cohorts": frozenset({f"{OTHER_UAI}$6C"})}))],
    )
    [there] = platform.accounts(OTHER_UAI)
    # WHEN the second school writes an "after" that also drops and adds the first school's cohorts
    rogue = there.model_copy(update={"cohorts": frozenset({f"{OTHER_UAI}$6C", f"{UAI}$4Z"})})
    platform.write_accounts(
        OTHER_UAI,
        [AccountChange(before=there.model_copy(update={"cohorts": there.cohorts | {f"{UAI}$3A"}}), after=rogue)],
    )
    # THEN the first school's memberships are as it left them
    [here] = platform.accounts(UAI)
    assert {c for c in here.cohorts if c.startswith(UAI)} == {f"{UAI}$3A"}


def test_create_cohorts_keeps_existing_ones(platform: Platform) -> None:
    platform.create_cohorts(UAI, [Cohort(idnumber=f"{UAI}$3A", name="3e A renommée", uai=UAI)])
    platform.create_cohorts(
        UAI, [Cohort(idnumber=f"{UAI}${name}", name=name, uai=UAI) for name in ("3A", "3B", "3C", "3D")]
    )
    platform.create_cohorts(OTHER_UAI, [Cohort(idnumber=f"{OTHER_UAI}$3A", name="3A", uai=OTHER_UAI)])
    assert [(cohort.idnumber, cohort.name) for cohort in platform.cohorts(UAI)] == [
        (f"{UAI}$3A", "3e A renommée"),
        (f"{UAI}$3B", "3B"),
        (f"{UAI}$3C", "3C"),
        (f"{UAI}$3D", "3D"),
    ]
    assert [cohort.idnumber for cohort in platform.cohorts(OTHER_UAI)] == [f"{OTHER_UAI}$3A"]


# --- DynamoDB only: throttling, AWS errors ---------------------------------------------------------


class ThrottlingClient:
    """For its next `times` BatchWriteItem calls, leaves the first item unprocessed, as a throttled DynamoDB does."""

    def __init__(self, client: DynamoDBClient, *, times: int) -> None:
        self._client = client
        self._times = times

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def batch_write_item(self, **kwargs: Any) -> dict[str, Any]:
        if self._times == 0:
            return dict(self._client.batch_write_item(**kwargs))
        self._times -= 1
        ((table, requests),) = kwargs["RequestItems"].items()
        if len(requests) > 1:
            self._client.batch_write_item(RequestItems={table: requests[1:]})
        return {"UnprocessedItems": {table: requests[:1]}}


def test_unprocessed_items_are_retried_with_backoff(dynamodb: DynamoDBClient) -> None:
    # GIVEN DynamoDB throttles twice
    delays: list[float] = []
    client: Any = ThrottlingClient(dynamodb, times=2)
    platform = DynamoDbPlatform(TABLE, "idf-77-3", client, backoff=Backoff(sleep=delays.append))
    # WHEN 30 accounts are written THEN all are there, after two growing waits
    create(platform, UAI, [account(f"user.{index}", ent_id=str(index)) for index in range(30)])
    assert len(platform.accounts(UAI)) == 30
    assert delays == [0.05, 0.1]


def test_endless_throttling_is_a_platform_error(dynamodb: DynamoDBClient) -> None:
    client: Any = ThrottlingClient(dynamodb, times=100)
    platform = DynamoDbPlatform(TABLE, "idf-77-3", client, backoff=Backoff(attempts=3, sleep=lambda _: None))
    with pytest.raises(PlatformError) as refused:
        create(
            platform, UAI, [account("user.1", ent_id="1"), account("user.2", ent_id="2"), account("user.3", ent_id="3")]
        )
    assert refused.value.code == "platform_throttled"


def test_aws_errors_become_platform_errors_without_personal_data(dynamodb: DynamoDBClient) -> None:
    # GIVEN a platform on a table that does not exist
    platform = DynamoDbPlatform("no-such-table", "idf-77-3", dynamodb)
    # WHEN it is used THEN a PlatformError says so in French, naming no person
    with pytest.raises(PlatformError) as failed:
        create(platform, UAI, [account("lea.martin", ent_id="1")])
    assert failed.value.code == "platform_error"
    assert "ResourceNotFoundException" in failed.value.message
    assert "lea" not in failed.value.message
    with pytest.raises(PlatformError):
        platform.accounts(UAI)


def test_unreadable_item_is_reported_without_its_content(dynamodb: DynamoDBClient) -> None:
    dynamodb.put_item(
        TableName=TABLE,
        Item={"pk": {"S": uai_partition("idf-77-3", UAI)}, "sk": {"S": "ACCOUNT#x"}, "last_name": {"S": "Martin"}},
    )
    with pytest.raises(PlatformError) as failed:
        moto_platform(dynamodb).accounts(UAI)
    assert failed.value.code == "corrupt_account"
    assert "Martin" not in str(failed.value)
