"""Import records in the DynamoDB imports table (hash key `import_id`; GSI `by-uai` on uai + started_at).

Beside the records, one lease item per school (`import_id` = `LEASE#{uai}`, attributes `holder` and
`expires_at`, no `uai`: it stays out of the by-uai index) keeps two imports of one school apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_errors import aws_error_code, storage_error
from elea.dal.dynamodb.batch import Backoff, batch_get, cancellation_codes
from elea.dal.dynamodb.table import DynamoDbTable
from elea.models.import_record import ImportPhase, ImportProgress, ImportRecord, ImportStatus
from elea.models.report_mail_status import MailStatus, ReportMailStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

_CONDITION_FAILED = "ConditionalCheckFailedException"
# The same failure as a cancelled transaction's per-action reason.
_REASON_CONDITION_FAILED = "ConditionalCheckFailed"
# Keys DynamoDB left unprocessed (throttling) are asked again after the platform adapter's backoff.
_BACKOFF = Backoff()
# GSI on uai + started_at (KEYS_ONLY): an establishment's imports in time order, without a Scan.
BY_UAI_INDEX = "by-uai"
LEASE_PREFIX = "LEASE#"
# The web page's upload id -> the import the chain made of it: a small pointer item in the same table,
# without `uai`/`started_at`, so it stays out of the by-uai index.
_UPLOAD_PREFIX = "upload#"
# GSI on status + plan_deadline (KEYS_ONLY), sparse: `plan_deadline` is set only while an « Aperçu » waits
# for its decision, so the sweep queries the waiting plans alone.
PLANS_BY_DEADLINE_INDEX = "plans-by-deadline"
_PLAN_DEADLINE = "plan_deadline"
# Live progress attributes, beside the record document (the Users step's chunks ADD to `processed`).
_PHASE, _PEOPLE, _PROCESSED = "progress_phase", "progress_people", "progress_processed"
# The report e-mail's outcome, beside the record document too: one conditional update records it, with no
# read first. A record written before these attributes existed keeps its outcome in the document.
_MAIL_STATUS, _MAIL_ATTEMPTS, _MAIL_AT = "mail_status", "mail_attempts", "mail_updated_at"
_MAIL_MESSAGE_ID, _MAIL_ERROR = "mail_message_id", "mail_last_error"


def _to_item(record: ImportRecord) -> dict[str, AttributeValueTypeDef]:
    # The record is one JSON document; the few attributes we key or filter on are copied beside it.
    item: dict[str, AttributeValueTypeDef] = {
        "import_id": {"S": record.import_id},
        "execution_id": {"S": record.execution_id},
        "status": {"S": record.status.value},
        "started_at": {"S": record.started_at.isoformat()},
        "record": {"S": record.model_dump_json(exclude={"progress"})},
    }
    if record.uai is not None:
        item["uai"] = {"S": record.uai}
    if record.status is ImportStatus.AWAITING_DECISION and record.decision_deadline is not None:
        item[_PLAN_DEADLINE] = {"S": deadline_key(record.decision_deadline)}
    return item


def deadline_key(moment: datetime) -> str:
    """A sortable UTC form (fixed width, microseconds always written): string order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _from_item(item: dict[str, Any]) -> ImportRecord:
    record = ImportRecord.model_validate_json(item["record"]["S"])
    if _MAIL_STATUS in item:
        mail = ReportMailStatus(
            status=MailStatus(item[_MAIL_STATUS]["S"]),
            attempts=int(item.get(_MAIL_ATTEMPTS, {}).get("N", "1")),
            updated_at=datetime.fromisoformat(item[_MAIL_AT]["S"]),
            message_id=item.get(_MAIL_MESSAGE_ID, {}).get("S"),
            last_error=item.get(_MAIL_ERROR, {}).get("S"),
        )
        record = record.model_copy(update={"report_mail": mail})
    if _PHASE not in item:
        return record
    progress = ImportProgress(
        phase=ImportPhase(item[_PHASE]["S"]),
        people=int(item.get(_PEOPLE, {}).get("N", "0")),
        processed=int(item.get(_PROCESSED, {}).get("N", "0")),
    )
    return record.model_copy(update={"progress": progress})


def _save_update(table: str, record: ImportRecord, *, phase: ImportPhase | None, people: int | None) -> Any:
    """The owner's update of its record (an update, not a put: the attributes kept beside the record
    survive it), moving the live progress on to `phase` too when given."""
    item = _to_item(record)
    item.pop("import_id")
    names = {f"#{name}": name for name in item}
    values: dict[str, AttributeValueTypeDef] = {f":{name}": value for name, value in item.items()}
    values[":owner"] = {"S": record.execution_id}
    expression = "SET " + ", ".join(f"#{name} = :{name}" for name in item)
    if phase is not None:
        # As record_progress, adding nothing: the processed count exists, and is kept.
        sets, add = _progress_clauses(names, values, phase=phase, people=people, processed=0)
        expression += f", {sets} ADD {add}"
    if _PLAN_DEADLINE not in item:  # decided, expired or never a plan: out of the sweep's index
        names["#deadline"] = _PLAN_DEADLINE
        expression += " REMOVE #deadline"
    return {
        "TableName": table,
        "Key": {"import_id": {"S": record.import_id}},
        "UpdateExpression": expression,
        "ConditionExpression": "execution_id = :owner",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def _progress_clauses(
    names: dict[str, str],
    values: dict[str, AttributeValueTypeDef],
    *,
    phase: ImportPhase,
    people: int | None,
    processed: int,
) -> tuple[str, str]:
    """The live progress's SET and ADD clauses (names and values added to the update's own): the phase, the
    people expected when given, and `processed` added atomically (chunks run in parallel)."""
    names |= {"#progress_phase": _PHASE, "#progress_processed": _PROCESSED}
    values |= {":progress_phase": {"S": phase.value}, ":progress_processed": {"N": str(processed)}}
    sets = "#progress_phase = :progress_phase"
    if people is not None:
        names["#progress_people"] = _PEOPLE
        values[":progress_people"] = {"N": str(people)}
        sets += ", #progress_people = :progress_people"
    return sets, "#progress_processed :progress_processed"


def _release(table: str, uai: str, execution_id: str) -> Any:
    """The lease's delete, only by its holder."""
    return {
        "TableName": table,
        "Key": {"import_id": {"S": f"{LEASE_PREFIX}{uai}"}},
        "ConditionExpression": "holder = :me",
        "ExpressionAttributeValues": {":me": {"S": execution_id}},
    }


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
        return None if item is None or "record" not in item else _from_item(item)

    def started_after(self, uai: str, started_at: datetime) -> list[ImportRecord]:
        # started_at is stored as UTC ISO 8601, so string order is time order. The index holds keys
        # only: the later imports are then read whole, 100 per BatchGetItem.
        query: Any = {
            "TableName": self._table,
            "IndexName": BY_UAI_INDEX,
            "KeyConditionExpression": "uai = :uai AND started_at > :after",
            "ExpressionAttributeValues": {":uai": {"S": uai}, ":after": {"S": started_at.isoformat()}},
        }
        import_ids = self._query_ids(query, operation="lecture des imports de l'établissement")
        records = [record for record in self._get_many(import_ids) if record.started_at > started_at]
        return sorted(records, key=lambda record: record.started_at)

    def _get_many(self, import_ids: list[str]) -> list[ImportRecord]:
        """The records of these ids (missing ones omitted), in the order given, by strongly consistent
        BatchGetItem of 100 keys; unprocessed keys are asked again with bounded backoff."""
        unique = list(dict.fromkeys(import_ids))
        items = batch_get(self._db, self._table, [{"import_id": {"S": import_id}} for import_id in unique], _BACKOFF)
        found = {item["import_id"]["S"]: _from_item(item) for item in items if "record" in item}
        return [found[import_id] for import_id in unique if import_id in found]

    def save(
        self,
        record: ImportRecord,
        *,
        phase: ImportPhase | None = None,
        people: int | None = None,
        release_school: bool = False,
    ) -> None:
        update = _save_update(self._table, record, phase=phase, people=people)
        if not release_school or record.uai is None:
            self._update_record(update)
            return
        # The final record and the lease's release in one transaction: the lease is never given back
        # before the record is final, nor a final record left holding it.
        try:
            self._db.transact_write_items(
                TransactItems=[{"Update": update}, {"Delete": _release(self._table, record.uai, record.execution_id)}]
            )
            return
        except ClientError as error:
            reasons = cancellation_codes(error)
            if reasons != ["None", _REASON_CONDITION_FAILED]:
                # The record no longer ours reads as save's own condition failure (ConcurrentChange).
                code = _CONDITION_FAILED if reasons[:1] == [_REASON_CONDITION_FAILED] else aws_error_code(error)
                failed = ClientError({"Error": {"Code": code, "Message": ""}}, "TransactWriteItems")
                raise storage_error(failed, operation="mise à jour de l'import") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="mise à jour de l'import") from error
        # Only the lease's condition failed (already free, or another import's): the record alone, as
        # release_school would have done nothing.
        self._update_record(update)

    def _update_record(self, update: Any) -> None:
        try:
            self._db.update_item(**update)
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
            self._db.delete_item(**_release(self._table, uai, execution_id))
        except ClientError as error:
            if aws_error_code(error) != _CONDITION_FAILED:  # held by another import, or already free
                raise storage_error(error, operation="libération de l'établissement") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="libération de l'établissement") from error

    def record_progress(
        self, import_id: str, *, phase: ImportPhase, people: int | None = None, processed: int = 0
    ) -> None:
        """Moves the live progress on: `processed` is added atomically (chunks run in parallel)."""
        names: dict[str, str] = {}
        values: dict[str, AttributeValueTypeDef] = {}
        sets, add = _progress_clauses(names, values, phase=phase, people=people, processed=processed)
        try:
            self._db.update_item(
                TableName=self._table,
                Key={"import_id": {"S": import_id}},
                UpdateExpression=f"SET {sets} ADD {add}",
                ConditionExpression="attribute_exists(import_id)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="progression de l'import") from error

    def record_report_mail(
        self, import_id: str, *, status: MailStatus, at: datetime, message_id: str | None, last_error: str | None
    ) -> bool:
        names = {"#status": _MAIL_STATUS, "#at": _MAIL_AT, "#attempts": _MAIL_ATTEMPTS}
        values: dict[str, AttributeValueTypeDef] = {
            ":status": {"S": status.value},
            ":at": {"S": at.isoformat()},
            ":one": {"N": "1"},
        }
        sets, removes = ["#status = :status", "#at = :at"], []
        for key, attribute, value in (("message", _MAIL_MESSAGE_ID, message_id), ("error", _MAIL_ERROR, last_error)):
            names[f"#{key}"] = attribute
            if value is None:
                removes.append(f"#{key}")
            else:
                values[f":{key}"] = {"S": value}
                sets.append(f"#{key} = :{key}")
        expression = "SET " + ", ".join(sets) + " ADD #attempts :one"
        if removes:
            expression += " REMOVE " + ", ".join(removes)
        try:
            self._db.update_item(
                TableName=self._table,
                Key={"import_id": {"S": import_id}},
                UpdateExpression=expression,
                # A record, not a lease or an upload link under the same key space.
                ConditionExpression="attribute_exists(#record)",
                ExpressionAttributeNames={**names, "#record": "record"},
                ExpressionAttributeValues=values,
            )
        except ClientError as error:
            if aws_error_code(error) == _CONDITION_FAILED:
                return False
            raise storage_error(error, operation="suivi du courriel de rapport") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="suivi du courriel de rapport") from error
        return True

    def recent(self, uai: str, limit: int) -> list[ImportRecord]:
        """The UAI's latest imports, newest first (one Query of the by-uai index, then one BatchGetItem)."""
        try:
            page = self._db.query(
                TableName=self._table,
                IndexName=BY_UAI_INDEX,
                KeyConditionExpression="uai = :uai",
                ExpressionAttributeValues={":uai": {"S": uai}},
                ScanIndexForward=False,
                Limit=limit,
            )
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="lecture des imports de l'établissement") from error
        records = self._get_many([item["import_id"]["S"] for item in page.get("Items", [])])
        return [record for record in records if record.uai == uai]

    def link_upload(self, upload_id: str, import_id: str) -> None:
        try:
            self._db.put_item(
                TableName=self._table,
                Item={"import_id": {"S": f"{_UPLOAD_PREFIX}{upload_id}"}, "points_to": {"S": import_id}},
            )
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="enregistrement du dépôt") from error

    def import_of_upload(self, upload_id: str) -> str | None:
        try:
            item = self._db.get_item(
                TableName=self._table, Key={"import_id": {"S": f"{_UPLOAD_PREFIX}{upload_id}"}}, ConsistentRead=True
            ).get("Item")
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="lecture du dépôt") from error
        return None if item is None or "points_to" not in item else item["points_to"]["S"]

    def awaiting_decision_until(self, deadline: datetime) -> list[str]:
        query: Any = {
            "TableName": self._table,
            "IndexName": PLANS_BY_DEADLINE_INDEX,
            "KeyConditionExpression": "#status = :awaiting AND #deadline <= :deadline",
            "ExpressionAttributeNames": {"#status": "status", "#deadline": _PLAN_DEADLINE},
            "ExpressionAttributeValues": {
                ":awaiting": {"S": ImportStatus.AWAITING_DECISION.value},
                ":deadline": {"S": deadline_key(deadline)},
            },
        }
        return self._query_ids(query, operation="lecture des aperçus en attente")

    def _query_ids(self, query: Any, *, operation: str) -> list[str]:
        """Every page of a keys-only index query: the import ids, in the index's order."""
        import_ids: list[str] = []
        try:
            while True:
                page = self._db.query(**query)
                import_ids += [item["import_id"]["S"] for item in page.get("Items", [])]
                if not page.get("LastEvaluatedKey"):
                    return import_ids
                query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation=operation) from error
