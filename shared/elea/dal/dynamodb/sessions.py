"""Web sessions in their own DynamoDB table (hash key `pk` = `SESSION#{sha256 of the token}`).

The item carries `ttl` (epoch seconds of its idle expiry) so DynamoDB removes forgotten sessions; the
expiry is still checked in code, as TTL deletion runs late."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_errors import storage_error
from elea.dal.dynamodb.table import DynamoDbTable
from elea.web.session import Session

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef


def _key(digest: str) -> dict[str, AttributeValueTypeDef]:
    return {"pk": {"S": f"SESSION#{digest}"}}


def _epoch(moment: datetime) -> AttributeValueTypeDef:
    return {"N": str(int(moment.timestamp()))}


class DynamoDbSessionStore(DynamoDbTable):
    def put(self, session: Session) -> None:
        item: dict[str, AttributeValueTypeDef] = {
            **_key(session.token_digest),
            "uai": {"S": session.uai},
            "created_at": _epoch(session.created_at),
            "last_seen": _epoch(session.last_seen),
            "ttl": _epoch(session.expires_at),
            "csrf_digest": {"S": session.csrf_digest},
        }
        try:
            self._db.put_item(TableName=self._table, Item=item)
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="ouverture de session") from error

    def get(self, token_digest: str) -> Session | None:
        try:
            item = self._db.get_item(TableName=self._table, Key=_key(token_digest), ConsistentRead=True).get("Item")
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="lecture de session") from error
        if item is None:
            return None

        def moment(name: str) -> datetime:
            return datetime.fromtimestamp(int(item[name]["N"]), UTC)

        return Session(
            token_digest=token_digest,
            uai=item["uai"]["S"],
            created_at=moment("created_at"),
            last_seen=moment("last_seen"),
            expires_at=moment("ttl"),
            csrf_digest=item["csrf_digest"]["S"],
        )

    def touch(self, token_digest: str, at: datetime, expires_at: datetime) -> None:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=_key(token_digest),
                UpdateExpression="SET last_seen = :at, #ttl = :ttl",
                # Never recreate a session that logout removed in between.
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues={":at": _epoch(at), ":ttl": _epoch(expires_at)},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return
            raise storage_error(error, operation="mise à jour de session") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="mise à jour de session") from error

    def delete(self, token_digest: str) -> None:
        try:
            self._db.delete_item(TableName=self._table, Key=_key(token_digest))
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="fermeture de session") from error
