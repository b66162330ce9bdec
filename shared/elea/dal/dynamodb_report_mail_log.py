"""Report e-mail records, kept in the establishments table (`pk` = REPORT_MAIL#{import_id})."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_clients import dynamodb_client
from elea.dal.client_errors import error_code, storage_error
from elea.mail.import_summary import ImportSummary
from elea.mail.report_mail_entry import MailStatus, ReportMailEntry

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

_PREFIX = "REPORT_MAIL#"


def _key(import_id: str) -> dict[str, AttributeValueTypeDef]:
    return {"pk": {"S": _PREFIX + import_id}}


class DynamoDbReportMailLog:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        self._client = client

    @property
    def _db(self) -> DynamoDBClient:
        return self._client or dynamodb_client()

    def record(self, summary: ImportSummary, *, at: datetime) -> ReportMailEntry:
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    **_key(summary.import_id),
                    "uai": {"S": summary.uai},
                    "summary": {"S": summary.model_dump_json()},
                    "status": {"S": MailStatus.PENDING.value},
                    "attempts": {"N": "0"},
                    "updated_at": {"N": str(int(at.timestamp()))},
                },
                # A retried report step keeps the first record (and knows whether it was sent).
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if error_code(error) != "ConditionalCheckFailedException":
                raise storage_error(error, what="suivi du courriel de rapport") from error
        except BotoCoreError as error:
            raise storage_error(error, what="suivi du courriel de rapport") from error
        entry = self.get(summary.import_id)
        assert entry is not None  # just written or already there
        return entry

    def get(self, import_id: str) -> ReportMailEntry | None:
        try:
            item = self._db.get_item(TableName=self._table, Key=_key(import_id), ConsistentRead=True).get("Item")
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, what="suivi du courriel de rapport") from error
        return None if item is None else _entry(item)

    def mark_sent(self, import_id: str, *, message_id: str, at: datetime) -> None:
        self._update(
            import_id,
            "SET #status = :status, message_id = :message_id, updated_at = :at ADD attempts :one REMOVE last_error",
            {":status": {"S": MailStatus.SENT.value}, ":message_id": {"S": message_id}},
            at,
        )

    def mark_failed(self, import_id: str, *, reason: str, at: datetime) -> None:
        self._update(
            import_id,
            "SET #status = :status, last_error = :reason, updated_at = :at ADD attempts :one",
            {":status": {"S": MailStatus.FAILED.value}, ":reason": {"S": reason}},
            at,
        )

    def _update(self, import_id: str, expression: str, values: dict[str, AttributeValueTypeDef], at: datetime) -> None:
        try:
            self._db.update_item(
                TableName=self._table,
                Key=_key(import_id),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={**values, ":at": {"N": str(int(at.timestamp()))}, ":one": {"N": "1"}},
            )
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, what="suivi du courriel de rapport") from error


def _entry(item: dict[str, Any]) -> ReportMailEntry:
    return ReportMailEntry(
        summary=ImportSummary.model_validate_json(item["summary"]["S"]),
        status=MailStatus(item["status"]["S"]),
        attempts=int(item["attempts"]["N"]),
        last_error=item["last_error"]["S"] if "last_error" in item else None,
        message_id=item["message_id"]["S"] if "message_id" in item else None,
        updated_at=datetime.fromtimestamp(int(item["updated_at"]["N"]), UTC),
    )
