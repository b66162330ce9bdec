"""Local accounts' password hashes in the credentials table: `UAI#{uai}` / `USER#{username}`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.lazy_clients import dynamodb_client
from elea.dal.storage_errors import storage_error
from elea.errors import PlatformError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import WriteRequestTypeDef

_USER_PREFIX = "USER#"
_BATCH = 25  # BatchWriteItem's limit
_UNPROCESSED_ROUNDS = 8


class DynamoDbUserPasswordStore:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        self._client = client

    @property
    def _db(self) -> DynamoDBClient:
        return self._client or dynamodb_client()

    def usernames_with_password(self, uai: str) -> set[str]:
        usernames: set[str] = set()
        paginator = self._db.get_paginator("query")
        try:
            for page in paginator.paginate(
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :user)",
                ExpressionAttributeValues={":pk": {"S": f"UAI#{uai}"}, ":user": {"S": _USER_PREFIX}},
                ProjectionExpression="sk",
            ):
                usernames.update(item["sk"]["S"].removeprefix(_USER_PREFIX) for item in page["Items"])
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="lecture des mots de passe") from error
        return usernames

    def put_hashes(self, uai: str, hashes: Mapping[str, str]) -> None:
        requests: list[WriteRequestTypeDef] = [
            {
                "PutRequest": {
                    "Item": {
                        "pk": {"S": f"UAI#{uai}"},
                        "sk": {"S": _USER_PREFIX + username},
                        "password_hash": {"S": password_hash},
                    }
                }
            }
            for username, password_hash in hashes.items()
        ]
        for start in range(0, len(requests), _BATCH):
            self._write(requests[start : start + _BATCH])

    def _write(self, batch: list[WriteRequestTypeDef]) -> None:
        pending: Sequence[Any] = batch
        for _ in range(_UNPROCESSED_ROUNDS):
            try:
                answer = self._db.batch_write_item(RequestItems={self._table: pending})
            except (ClientError, BotoCoreError) as error:
                raise storage_error(error, operation="enregistrement des mots de passe") from error
            pending = answer.get("UnprocessedItems", {}).get(self._table, [])
            if not pending:
                return
        raise PlatformError(
            "Le stockage des mots de passe est saturé.", hint="Relancez l'importation dans quelques minutes."
        )
