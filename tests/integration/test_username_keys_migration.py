"""Username index keys written before the identity folding (`username.lower()`) are moved to today's key
once per platform, so an account written the old way is found and never duplicated."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from elea.dal.dynamodb.account_ids import new_account_id
from elea.dal.dynamodb.batch import Backoff
from elea.dal.dynamodb.platform_table import ACCOUNT_SORT_KEY, PARTITION_KEY, SORT_KEY, account_partition
from elea.dal.dynamodb.username_keys import MIGRATION_SORT_KEY, ensure_username_keys, migration_partition
from elea.domain.identity import identity_key
from elea.ports.platform import AccountChange
from tests.integration.moto_platform import TABLE, moto_client, moto_platform
from tests.unit.logic.builders import UAI, account

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

PLATFORM = "idf-77-3"
BACKOFF = Backoff(sleep=lambda _: None)


@pytest.fixture
def dynamodb() -> Iterator[DynamoDBClient]:
    with mock_aws():
        yield moto_client()


def write_the_old_way(client: DynamoDBClient, *accounts: tuple[str, str]) -> None:
    """Accounts (username, Id) as the adapter wrote them before the folding: index key `username.lower()`."""
    moto_platform(client).write_accounts(
        UAI, [AccountChange(before=None, after=account(username, ent_id=ent_id)) for username, ent_id in accounts]
    )
    for username, ent_id in accounts:
        key = account_partition(PLATFORM, new_account_id(ent_id, username))
        client.update_item(
            TableName=TABLE,
            Key={PARTITION_KEY: {"S": key}, SORT_KEY: {"S": ACCOUNT_SORT_KEY}},
            UpdateExpression="SET username_key = :old",
            ExpressionAttributeValues={":old": {"S": username.lower()}},
        )
    # The platform as it was then: never migrated.
    client.delete_item(
        TableName=TABLE,
        Key={PARTITION_KEY: {"S": migration_partition(PLATFORM)}, SORT_KEY: {"S": MIGRATION_SORT_KEY}},
    )


def test_an_account_written_under_the_old_key_is_found_and_never_duplicated(dynamodb: DynamoDBClient) -> None:
    # GIVEN « Élodie.Martin » written before the folding (key « élodie.martin »)
    write_the_old_way(dynamodb, ("Élodie.Martin", "ent-1"))
    platform = moto_platform(dynamodb)
    # WHEN someone else's creation of the look-alike « elodie.martin » is written
    rejections = platform.write_accounts(
        UAI, [AccountChange(before=None, after=account("elodie.martin", ent_id="ent-2"))]
    )
    # THEN it is refused as a taken username, and a lookup in any spelling finds the one account
    assert [rejection.code for rejection in rejections] == ["username_taken"]
    for spelling in ("elodie.martin", "ÉLODIE.MARTIN", "Élodie.Martin"):
        assert [found.ent_id for found in platform.find_accounts([spelling])] == ["ent-1"]
    assert len(platform.accounts(UAI)) == 1


def test_the_migration_runs_once_and_again_changes_nothing(dynamodb: DynamoDBClient) -> None:
    # GIVEN two accounts written the old way and one ASCII account (its old key is today's)
    write_the_old_way(dynamodb, ("Hélène", "ent-1"), ("ＪＥＡＮ", "ent-2"), ("paul", "ent-3"))
    # WHEN the migration runs, then runs again
    first = ensure_username_keys(dynamodb, TABLE, PLATFORM, BACKOFF)
    second = ensure_username_keys(dynamodb, TABLE, PLATFORM, BACKOFF)
    # THEN the two old keys were moved, and the second run (the marker is there) does nothing
    assert (first, second) == (2, 0)
    # AND even without the marker a second pass finds nothing left to move (idempotent)
    dynamodb.delete_item(
        TableName=TABLE,
        Key={PARTITION_KEY: {"S": migration_partition(PLATFORM)}, SORT_KEY: {"S": MIGRATION_SORT_KEY}},
    )
    assert ensure_username_keys(dynamodb, TABLE, PLATFORM, BACKOFF) == 0


LETTERS = st.sampled_from(list("aeiouy") + list("éèêëàâäîïôöùûüçœæ") + ["ß", "ø", "ñ"])


@given(
    word=st.text(LETTERS, min_size=1, max_size=8),
    style=st.sampled_from(["upper", "title", "fullwidth", "nfd"]),
)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_old_non_ascii_key_is_found_by_any_look_alike_spelling(word: str, style: str) -> None:
    username = {
        "upper": word.upper(),
        "title": word.title(),
        "fullwidth": "".join(chr(ord(char) + 0xFEE0) if "a" <= char <= "z" else char for char in word),
        "nfd": unicodedata.normalize("NFD", word),
    }[style]
    with mock_aws():
        client = moto_client()
        # GIVEN an account written the old way under some spelling
        write_the_old_way(client, (username, "ent-1"))
        # WHEN a fresh adapter looks up the folded spelling
        found = moto_platform(client).find_accounts([identity_key(word)])
        # THEN it finds that account
        assert [account.ent_id for account in found] == ["ent-1"]
