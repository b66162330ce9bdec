"""Counts the AWS API calls the chain makes (botocore `provide-client-params` hooks on boto3's default session).

The handlers' clients come from boto3's default session (elea.dal.aws_clients); the local runner's
own set-up calls use a separate session, so they are not counted. moto replaces boto3's default
session when a mock starts, and clients copy their session's hooks when they are built: so the
runner calls `attach_to_default_session()` once the mock is up, before the handlers' clients exist.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from elea_local.boto_sessions import setup_default_session

DYNAMODB_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})


class ApiCallCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[tuple[str, str]] = Counter()
        # DynamoDB write calls per table name they touch.
        self.dynamodb_writes_by_table: Counter[str] = Counter()

    def on_call(self, model: Any, params: dict[str, Any], **_: Any) -> None:
        if getattr(_runner_calls, "active", False):
            return
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


# Set while the runner itself works through the default session (not a chain handler's call).
_runner_calls = threading.local()


@contextmanager
def runner_calls() -> Iterator[None]:
    """Calls made in the block, on this thread, are the runner's own (e.g. the registration check of a
    `--basin` run, which `establishment add` makes on AWS): not counted as the chain's."""
    _runner_calls.active = True
    try:
        yield
    finally:
        _runner_calls.active = False


_active: list[ApiCallCounter] = []
_active_lock = threading.Lock()


def attach_to_default_session() -> None:
    """Starts a fresh default session carrying the hooks of every active counter."""
    setup_default_session()
    session = boto3.DEFAULT_SESSION
    assert session is not None
    with _active_lock:
        for counter in _active:
            session.events.register("provide-client-params", counter.on_call, unique_id=f"elea-api-calls-{id(counter)}")


@contextmanager
def counting_api_calls() -> Iterator[ApiCallCounter]:
    """Counts the calls of the local runs made inside the block."""
    counter = ApiCallCounter()
    with _active_lock:
        _active.append(counter)
    try:
        yield counter
    finally:
        with _active_lock:
            _active.remove(counter)
        if boto3.DEFAULT_SESSION is not None:
            boto3.DEFAULT_SESSION.events.unregister("provide-client-params", unique_id=f"elea-api-calls-{id(counter)}")
