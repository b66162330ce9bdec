"""DynamoDB calls the platform adapter batches: BatchWriteItem by 25, TransactWriteItems by 100 (groups of
items written together), BatchGetItem by 100, with bounded retries; paginated Query.

Every botocore ClientError becomes a PlatformError (ConcurrentChange for a lost conditional race) whose
French message names the operation and AWS's error code, never an item's content.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from elea.errors import ConcurrentChange, PlatformError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

BATCH_WRITE_MAX_ITEMS = 25
BATCH_GET_MAX_KEYS = 100
TRANSACTION_MAX_ITEMS = 100
# Cancellation reasons worth another attempt: a concurrent write or a transaction on one of the items,
# throttling. Any other reason (a failed condition, a validation error) is the caller's to hear.
_TRANSIENT_CANCELLATIONS = frozenset(
    {"None", "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}
)
_CONCURRENCY_CODES = frozenset({"ConditionalCheckFailedException", "TransactionConflictException"})

Item = dict[str, Any]


@dataclass(frozen=True)
class Backoff:
    """Retries of the items DynamoDB left unprocessed (throttling). Sleeps only when something is left."""

    attempts: int = 8
    base_seconds: float = 0.05
    cap_seconds: float = 2.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int) -> float:
        return float(min(self.cap_seconds, self.base_seconds * 2**attempt))


@contextmanager
def platform_errors(operation: str) -> Iterator[None]:
    try:
        yield
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", "Unknown"))
        kind = ConcurrentChange if code in _CONCURRENCY_CODES else PlatformError
        raise kind(
            f"La plateforme (DynamoDB, {operation}) a refusé l'opération ({code}) : l'import peut être relancé.",
            code="concurrent_change" if kind is ConcurrentChange else "platform_error",
        ) from error
    except BotoCoreError as error:
        raise PlatformError(
            f"La plateforme (DynamoDB, {operation}) est injoignable : l'import peut être relancé.",
            code="platform_unreachable",
        ) from error


def batch_put(client: DynamoDBClient, table_name: str, items: Sequence[Item], backoff: Backoff) -> None:
    """Puts the items, 25 per BatchWriteItem; unprocessed ones are retried with exponential backoff."""
    batch_write(client, table_name, [{"PutRequest": {"Item": item}} for item in items], backoff)


def batch_delete(client: DynamoDBClient, table_name: str, keys: Sequence[Item], backoff: Backoff) -> None:
    """Deletes the items of these keys, as `batch_put` writes."""
    batch_write(client, table_name, [{"DeleteRequest": {"Key": key}} for key in keys], backoff)


def batch_write(client: DynamoDBClient, table_name: str, requests: Sequence[Item], backoff: Backoff) -> None:
    """Put and delete requests, 25 per BatchWriteItem, unprocessed ones retried with exponential backoff."""
    for start in range(0, len(requests), BATCH_WRITE_MAX_ITEMS):
        pending: Mapping[str, Any] = {table_name: list(requests[start : start + BATCH_WRITE_MAX_ITEMS])}
        for attempt in range(backoff.attempts):
            with platform_errors("BatchWriteItem"):
                response = client.batch_write_item(RequestItems=pending)
            pending = response.get("UnprocessedItems") or {}
            if not pending:
                break
            backoff.sleep(backoff.delay(attempt))
        else:
            raise _throttled("des écritures")


def transact_put(client: DynamoDBClient, table_name: str, groups: Sequence[Sequence[Item]], backoff: Backoff) -> None:
    """Puts the items, up to 100 per TransactWriteItems; a group (an account and its school's link) is never
    split: it is written whole or not at all. A transaction cancelled by a concurrent write or throttling
    is retried with exponential backoff (puts are idempotent)."""
    for transaction in _packed(groups, TRANSACTION_MAX_ITEMS):
        actions: Any = [{"Put": {"TableName": table_name, "Item": item}} for item in transaction]
        for attempt in range(backoff.attempts):
            with platform_errors("TransactWriteItems"):
                try:
                    client.transact_write_items(TransactItems=actions)
                    break
                except ClientError as error:
                    if not _transient_cancellation(error):
                        raise
            backoff.sleep(backoff.delay(attempt))
        else:
            raise _throttled("des écritures")


def _packed(groups: Sequence[Sequence[Item]], limit: int) -> Iterator[list[Item]]:
    """The groups' items in order, in lists of at most `limit` items that never split a group."""
    current: list[Item] = []
    for group in groups:
        if len(group) > limit:
            raise ValueError(f"a group of {len(group)} items cannot fit one transaction of {limit}")
        if len(current) + len(group) > limit:
            yield current
            current = []
        current.extend(group)
    if current:
        yield current


def _throttled(what: str) -> PlatformError:
    return PlatformError(
        f"La plateforme (DynamoDB) reste saturée : {what} n'ont pas abouti, l'import peut être relancé.",
        code="platform_throttled",
    )


def cancellation_codes(error: ClientError) -> list[str]:
    """The per-action codes of a cancelled transaction, in the order of its actions ("None" when it held)."""
    reasons: Any = dict(error.response).get("CancellationReasons") or []
    return [str(reason.get("Code", "None")) for reason in reasons]


def _transient_cancellation(error: ClientError) -> bool:
    response: Any = error.response
    if response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return False
    reasons = cancellation_codes(error)
    return bool(reasons) and all(code in _TRANSIENT_CANCELLATIONS for code in reasons)


def batch_get(client: DynamoDBClient, table_name: str, keys: Sequence[Item], backoff: Backoff) -> list[Item]:
    """The items of these keys (missing ones omitted), 100 keys per strongly consistent BatchGetItem."""
    items: list[Item] = []
    for start in range(0, len(keys), BATCH_GET_MAX_KEYS):
        pending: Mapping[str, Any] = {
            table_name: {"Keys": list(keys[start : start + BATCH_GET_MAX_KEYS]), "ConsistentRead": True}
        }
        for attempt in range(backoff.attempts):
            with platform_errors("BatchGetItem"):
                response = client.batch_get_item(RequestItems=pending)
            items += response.get("Responses", {}).get(table_name, [])
            pending = response.get("UnprocessedKeys") or {}
            if not pending:
                break
            backoff.sleep(backoff.delay(attempt))
        else:
            raise _throttled("des lectures")
    return items


def query_all(client: DynamoDBClient, **query: Any) -> Iterator[Item]:
    """Every item of a Query, page after page (1 MB each)."""
    while True:
        with platform_errors("Query"):
            page = client.query(**query)
        yield from page.get("Items", [])
        last_key = page.get("LastEvaluatedKey")
        if not last_key:
            return
        query["ExclusiveStartKey"] = last_key
