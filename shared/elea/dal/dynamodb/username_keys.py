"""Moves the username index keys written before the identity folding to today's key, once per platform.

Account items written before `elea.domain.identity.identity_key` carried `username.lower()` as their
`username_key`: the same for an ASCII username, but « Élodie » was `élodie` and « ＪＥＡＮ » `ｊｅａｎ`,
where today's lookups ask for `elodie` and `jean`. Unmigrated, such an account is never found by
`find_accounts`, and a creation of the same username beside it would make two accounts that look alike.

`ensure_username_keys` runs before the first lookup of each adapter instance (once per process): a
marker item says the platform is done (one read). Without it, one pass over the index partition (keys
only) finds the keys that are not in folded form, reads those accounts, and rewrites each key to the
identity key of the account's username by a conditional update (only if the key is still the old one,
so a write racing with it wins), then writes the marker. Safe to interrupt and to run twice or at once
in two processes: every step is idempotent. The marker holds no username.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from elea.dal.dynamodb.batch import Backoff, Item, batch_get, platform_errors, query_all
from elea.dal.dynamodb.platform_table import (
    PARTITION_KEY,
    SORT_KEY,
    USERNAME_INDEX,
    USERNAME_INDEX_PARTITION_KEY,
    USERNAME_INDEX_SORT_KEY,
    usernames_partition,
)
from elea.domain.identity import identity_key

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# Bump the version when the folding of `identity_key` changes: every platform is then migrated again.
MIGRATION_SORT_KEY = "USERNAME_KEYS#identity-v1"


def migration_partition(platform_id: str) -> str:
    return f"PLATFORM#{platform_id}#MIGRATION"


def ensure_username_keys(client: DynamoDBClient, table_name: str, platform_id: str, backoff: Backoff) -> int:
    """Brings the platform's username keys to the identity key if not done yet; returns how many moved."""
    marker = {PARTITION_KEY: {"S": migration_partition(platform_id)}, SORT_KEY: {"S": MIGRATION_SORT_KEY}}
    with platform_errors("GetItem"):
        done = client.get_item(TableName=table_name, Key=marker, ConsistentRead=True).get("Item")
    if done is not None:
        return 0
    stale = [
        {PARTITION_KEY: item[PARTITION_KEY], SORT_KEY: item[SORT_KEY]}
        for item in query_all(
            client,
            TableName=table_name,
            IndexName=USERNAME_INDEX,
            KeyConditionExpression="#p = :p",
            ExpressionAttributeNames={"#p": USERNAME_INDEX_PARTITION_KEY},
            ExpressionAttributeValues={":p": {"S": usernames_partition(platform_id)}},
        )
        # A key already in folded form is today's (every ASCII one is): only the others can be old.
        if identity_key(item[USERNAME_INDEX_SORT_KEY]["S"]) != item[USERNAME_INDEX_SORT_KEY]["S"]
    ]
    moved = sum(_move(client, table_name, item) for item in batch_get(client, table_name, stale, backoff))
    with platform_errors("PutItem"):
        client.put_item(TableName=table_name, Item=marker)
    return moved


def _move(client: DynamoDBClient, table_name: str, item: Item) -> bool:
    old = item.get(USERNAME_INDEX_SORT_KEY, {}).get("S")
    username = item.get("username", {}).get("S")
    if old is None or username is None or identity_key(username) == old:
        return False
    try:
        client.update_item(
            TableName=table_name,
            Key={PARTITION_KEY: item[PARTITION_KEY], SORT_KEY: item[SORT_KEY]},
            UpdateExpression="SET #u = :new",
            ConditionExpression="#u = :old",
            ExpressionAttributeNames={"#u": USERNAME_INDEX_SORT_KEY},
            ExpressionAttributeValues={":new": {"S": identity_key(username)}, ":old": {"S": old}},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False  # rewritten meanwhile (by an import, or another process migrating): its key is current
        with platform_errors("UpdateItem"):
            raise
    return True
