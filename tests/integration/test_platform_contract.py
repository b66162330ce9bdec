"""The Platform contract, run against the in-memory fake and the DynamoDB adapter on moto."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from moto import mock_aws

from elea.dal.dynamodb.batch import Backoff
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.dal.dynamodb.platform_table import uai_partition
from elea.errors import PlatformError, UaiMismatch
from elea.models.person import Profile
from elea.ports.platform import Account, AccountOrigin, AccountStatus, Cohort, Platform
from tests.fakes.memory_platform import InMemoryPlatform
from tests.integration.moto_platform import TABLE, moto_client, moto_platform
from tests.unit.logic.builders import OTHER_UAI, UAI, account

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


@pytest.fixture
def dynamodb() -> Iterator[DynamoDBClient]:
    with mock_aws():
        yield moto_client()


@pytest.fixture(params=["memory", "dynamodb"])
def platform(request: pytest.FixtureRequest) -> Platform:
    if request.param == "memory":
        return InMemoryPlatform()
    # A small page size so every read of these tests crosses pages.
    return moto_platform(request.getfixturevalue("dynamodb"), page_size=3)


def without_id(accounts: list[Account]) -> list[Account]:
    return sorted((item.model_copy(update={"account_id": None}) for item in accounts), key=lambda item: item.username)


def test_empty_uai_has_nothing(platform: Platform) -> None:
    assert platform.accounts(UAI) == []
    assert platform.cohorts(UAI) == []
    assert platform.taken_usernames([]) == set()
    assert platform.taken_usernames(["personne"]) == set()


def test_accounts_round_trip_with_an_assigned_id(platform: Platform) -> None:
    # GIVEN accounts with every kind of field
    written = [
        account("lea.martin", ent_id="1", classes=("3A", "3B"), extra_cohorts=("club",)),
        Account(
            username="0750654d",
            uai=UAI,
            ent_id=None,
            last_name="Direction",
            first_name="Compte",
            profile=None,
            origin=AccountOrigin.LOCAL_MANAGER,
            status=AccountStatus.PENDING_ACTIVATION,
            email="ce.0750654d@ac-creteil.fr",
        ),
        account(
            "tom.petit", ent_id="2", classes=(), protected=True, status=AccountStatus.SUSPENDED, profile=Profile.TEACHER
        ),
    ]
    # WHEN written and read back
    platform.write_accounts(UAI, written)
    read = platform.accounts(UAI)
    # THEN they are the same, each with a platform id
    assert without_id(read) == without_id(written)
    assert all(item.account_id for item in read)


def test_writing_the_same_state_twice_is_a_no_op(platform: Platform) -> None:
    # GIVEN a creation retried (no account_id both times) and a rewrite of what was read
    creation = [account(f"user.{index}", ent_id=str(index)) for index in range(30)]
    platform.write_accounts(UAI, creation)
    platform.write_accounts(UAI, creation)
    first = platform.accounts(UAI)
    platform.write_accounts(UAI, first)
    # THEN there is one account per person, unchanged
    assert platform.accounts(UAI) == first
    assert len(first) == 30


def test_rename_keeps_the_id_and_frees_the_old_username(platform: Platform) -> None:
    platform.write_accounts(UAI, [account("ancien.login", ent_id="1")])
    before = platform.accounts(UAI)[0]
    platform.write_accounts(UAI, [before.model_copy(update={"username": "nouveau.login"})])
    after = platform.accounts(UAI)
    assert [(item.account_id, item.username) for item in after] == [(before.account_id, "nouveau.login")]
    assert platform.taken_usernames(["ancien.login", "nouveau.login"]) == {"nouveau.login"}


def test_uais_are_isolated_but_usernames_are_platform_wide(platform: Platform) -> None:
    platform.write_accounts(UAI, [account("a.ici", ent_id="1")])
    platform.write_accounts(OTHER_UAI, [account("b.ailleurs", ent_id="1", uai=OTHER_UAI)])
    assert [item.username for item in platform.accounts(UAI)] == ["a.ici"]
    assert platform.taken_usernames(["a.ici", "b.ailleurs", "c.libre"]) == {"a.ici", "b.ailleurs"}


def test_usernames_keep_their_case_but_are_taken_whatever_the_case(platform: Platform) -> None:
    # GIVEN the management account, whose username is the UAI in capitals
    platform.write_accounts(UAI, [account(UAI, origin=AccountOrigin.LOCAL_MANAGER)])
    # THEN it reads back as written, and its lowercase form counts as taken
    assert [item.username for item in platform.accounts(UAI)] == [UAI]
    assert platform.taken_usernames([UAI.lower()]) == {UAI.lower()}


def test_look_alike_usernames_are_taken_by_identity_whatever_the_adapter(platform: Platform) -> None:
    # GIVEN an account whose username has an accent
    platform.write_accounts(UAI, [account("hélène.martin", ent_id="1")])
    # THEN its look-alikes (capitals, no accent, NFD, full-width) are all taken, another name is not
    look_alikes = ["HÉLÈNE.MARTIN", "helene.martin", "he\u0301le\u0300ne.martin", "ｈｅｌｅｎｅ.ｍａｒｔｉｎ"]
    assert platform.taken_usernames([*look_alikes, "helene.durand"]) == set(look_alikes)


def test_many_candidates_are_checked(platform: Platform) -> None:
    platform.write_accounts(UAI, [account(f"user.{index:03d}", ent_id=str(index)) for index in range(0, 260, 2)])
    candidates = [f"user.{index:03d}" for index in range(260)]
    assert platform.taken_usernames(candidates) == set(candidates[::2])


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


def test_writes_for_another_uai_are_refused(platform: Platform) -> None:
    with pytest.raises(UaiMismatch):
        platform.write_accounts(UAI, [account("a.ici", ent_id="1"), account("b.ailleurs", ent_id="2", uai=OTHER_UAI)])
    with pytest.raises(UaiMismatch):
        platform.create_cohorts(UAI, [Cohort(idnumber=f"{OTHER_UAI}$3A", name="3A", uai=OTHER_UAI)])
    assert platform.accounts(UAI) == []
    assert platform.accounts(OTHER_UAI) == []


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
    platform.write_accounts(UAI, [account(f"user.{index}", ent_id=str(index)) for index in range(30)])
    assert len(platform.accounts(UAI)) == 30
    assert delays == [0.05, 0.1]


def test_endless_throttling_is_a_platform_error(dynamodb: DynamoDBClient) -> None:
    client: Any = ThrottlingClient(dynamodb, times=100)
    platform = DynamoDbPlatform(TABLE, "idf-77-3", client, backoff=Backoff(attempts=3, sleep=lambda _: None))
    with pytest.raises(PlatformError) as refused:
        platform.write_accounts(
            UAI, [account("user.1", ent_id="1"), account("user.2", ent_id="2"), account("user.3", ent_id="3")]
        )
    assert refused.value.code == "platform_throttled"


def test_aws_errors_become_platform_errors_without_personal_data(dynamodb: DynamoDBClient) -> None:
    # GIVEN a platform on a table that does not exist
    platform = DynamoDbPlatform("no-such-table", "idf-77-3", dynamodb)
    # WHEN it is used THEN a PlatformError says so in French, naming no person
    with pytest.raises(PlatformError) as failed:
        platform.write_accounts(UAI, [account("lea.martin", ent_id="1")])
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
