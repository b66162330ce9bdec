"""Local accounts' password hashes in the credentials table: `UAI#{uai}` / `USER#{username}`."""

from __future__ import annotations

from collections.abc import Mapping

from elea.dal.dynamodb.batch import Backoff, batch_put, query_all
from elea.dal.dynamodb.table import DynamoDbTable

_USER_PREFIX = "USER#"


class DynamoDbUserPasswordStore(DynamoDbTable):
    def usernames_with_password(self, uai: str) -> set[str]:
        items = query_all(
            self._db,
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :user)",
            ExpressionAttributeValues={":pk": {"S": f"UAI#{uai}"}, ":user": {"S": _USER_PREFIX}},
            ProjectionExpression="sk",
        )
        return {item["sk"]["S"].removeprefix(_USER_PREFIX) for item in items}

    def put_hashes(self, uai: str, hashes: Mapping[str, str]) -> None:
        items = [
            {"pk": {"S": f"UAI#{uai}"}, "sk": {"S": _USER_PREFIX + username}, "password_hash": {"S": password_hash}}
            for username, password_hash in hashes.items()
        ]
        # Same batching and throttling backoff as the platform's own writes.
        batch_put(self._db, self._table, items, Backoff())
