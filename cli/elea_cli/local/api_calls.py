"""Counts the AWS API calls the chain makes (botocore `before-call` hooks on boto3's default session).

The handlers' clients come from boto3's default session (elea.dal.lazy_clients); the local runner's
own set-up calls use a separate session, so they are not counted. Clients copy the session's hooks
when they are built: attach before the run (the runner rebuilds the handlers' clients at its start).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

DYNAMODB_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})


class ApiCallCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[tuple[str, str]] = Counter()
        # DynamoDB write calls per table name they touch.
        self.dynamodb_writes_by_table: Counter[str] = Counter()

    def on_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        service = str(model.service_model.service_name)
        operation = str(model.name)
        with self._lock:
            self.calls[(service, operation)] += 1
            if service == "dynamodb" and operation in DYNAMODB_WRITES:
                for table in _tables_written(operation, params):
                    self.dynamodb_writes_by_table[table] += 1

    def total(self, service: str) -> int:
        return sum(count for (name, _), count in self.calls.items() if name == service)

    def by_operation(self) -> dict[str, int]:
        return {f"{service}:{operation}": count for (service, operation), count in sorted(self.calls.items())}


def _tables_written(operation: str, params: dict[str, Any]) -> set[str]:
    if operation == "BatchWriteItem":
        return set(params.get("RequestItems", {}))
    if operation == "TransactWriteItems":
        return {
            str(action["TableName"])
            for item in params.get("TransactItems", [])
            for action in item.values()
            if isinstance(action, dict) and "TableName" in action
        }
    return {str(params.get("TableName", ""))}


@contextmanager
def counting_api_calls() -> Iterator[ApiCallCounter]:
    counter = ApiCallCounter()
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    session.events.register("before-call", counter.on_call, unique_id="elea-api-call-counter")
    try:
        yield counter
    finally:
        session.events.unregister("before-call", unique_id="elea-api-call-counter")
