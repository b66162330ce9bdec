"""Import records in the DynamoDB imports table (hash key `import_id`; GSI `by-uai` on uai + started_at).

Beside the records, one lease item per school (`import_id` = `LEASE#{uai}`, attributes `holder` and
`expires_at`, no `uai`: it stays out of the by-uai index) keeps two imports of one school apart."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_errors import aws_error_code, storage_error
from elea.dal.dynamodb.table import DynamoDbTable
from elea.models.import_record import ImportRecord

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

_CONDITION_FAILED = "ConditionalCheckFailedException"
# GSI on uai + started_at (KEYS_ONLY): an establishment's imports in time order, without a Scan.
BY_UAI_INDEX = "by-uai"
LEASE_PREFIX = "LEASE#"


def _to_item(record: ImportRecord) -> dict[str, AttributeValueTypeDef]:
    # The record is one JSON document; the few attributes we key or filter on are copied beside it.
    item: dict[str, AttributeValueTypeDef] = {
        "import_id": {"S": record.import_id},
        "execution_id": {"S": record.execution_id},
        "status": {"S": record.status.value},
        "started_at": {"S": record.started_at.isoformat()},
        "record": {"S": record.model_dump_json()},
    }
    if record.uai is not None:
        item["uai"] = {"S": record.uai}
    return item


def _from_item(item: dict[str, Any]) -> ImportRecord:
    return ImportRecord.model_validate_json(item["record"]["S"])


class DynamoDbImportStore(DynamoDbTable):
    def claim(self, record: ImportRecord) -> ImportRecord:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=_to_item(record),
                ConditionExpression="attribute_not_exists(import_id)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
            return record
        except ClientError as error:
            if aws_error_code(error) != _CONDITION_FAILED:
                raise storage_error(error, operation="enregistrement de l'import") from error
            # ReturnValuesOnConditionCheckFailure puts the earlier claim in the error itself.
            existing: Any = dict(error.response).get("Item")
            if isinstance(existing, dict) and existing:
                return _from_item(existing)
        except BotoCoreError as error:
            raise storage_error(error, operation="enregistrement de l'import") from error
        stored = self.get(record.import_id)
        if stored is None:  # deleted in between: cannot happen with our writers, say so rather than guess
            raise storage_error(
                ClientError({"Error": {"Code": _CONDITION_FAILED, "Message": ""}}, "PutItem"),
                operation="enregistrement de l'import",
            )
        return stored

    def get(self, import_id: str) -> ImportRecord | None:
        try:
            response = self._db.get_item(
                TableName=self._table, Key={"import_id": {"S": import_id}}, ConsistentRead=True
            )
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="lecture de l'import") from error
        item = response.get("Item")
        return None if item is None else _from_item(item)

    def started_after(self, uai: str, started_at: datetime) -> list[ImportRecord]:
        # started_at is stored as UTC ISO 8601, so string order is time order. The index holds keys
        # only: each later import is then read whole (a school has a handful, not one per person).
        query: Any = {
            "TableName": self._table,
            "IndexName": BY_UAI_INDEX,
            "KeyConditionExpression": "uai = :uai AND started_at > :after",
            "ExpressionAttributeValues": {":uai": {"S": uai}, ":after": {"S": started_at.isoformat()}},
        }
        import_ids: list[str] = []
        try:
            while True:
                page = self._db.query(**query)
                import_ids += [item["import_id"]["S"] for item in page.get("Items", [])]
                if not page.get("LastEvaluatedKey"):
                    break
                query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="lecture des imports de l'établissement") from error
        records = [record for record in map(self.get, import_ids) if record and record.started_at > started_at]
        return sorted(records, key=lambda record: record.started_at)

    def save(self, record: ImportRecord) -> None:
        try:
            self._db.put_item(
                TableName=self._table,
                Item=_to_item(record),
                ConditionExpression="execution_id = :owner",
                ExpressionAttributeValues={":owner": {"S": record.execution_id}},
            )
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="mise à jour de l'import") from error

    def acquire_school(self, uai: str, execution_id: str, *, now: datetime, lease: timedelta) -> str | None:
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    "import_id": {"S": f"{LEASE_PREFIX}{uai}"},
                    "holder": {"S": execution_id},
                    "expires_at": {"S": (now + lease).isoformat()},
                },
                # Free, already ours (a retried step), or left by an execution that ended without a report.
                ConditionExpression="attribute_not_exists(import_id) OR holder = :me OR expires_at < :now",
                ExpressionAttributeValues={":me": {"S": execution_id}, ":now": {"S": now.isoformat()}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
            return None
        except ClientError as error:
            if aws_error_code(error) != _CONDITION_FAILED:
                raise storage_error(error, operation="réservation de l'établissement") from error
            existing: Any = dict(error.response).get("Item") or {}
            return str(existing.get("holder", {}).get("S", "inconnue"))
        except BotoCoreError as error:
            raise storage_error(error, operation="réservation de l'établissement") from error

    def release_school(self, uai: str, execution_id: str) -> None:
        try:
            self._db.delete_item(
                TableName=self._table,
                Key={"import_id": {"S": f"{LEASE_PREFIX}{uai}"}},
                ConditionExpression="holder = :me",
                ExpressionAttributeValues={":me": {"S": execution_id}},
            )
        except ClientError as error:
            if aws_error_code(error) != _CONDITION_FAILED:  # held by another import, or already free
                raise storage_error(error, operation="libération de l'établissement") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="libération de l'établissement") from error
