"""The sweep's query on the DynamoDB imports table (moto, the template's table): the sparse
plans-by-deadline index holds the waiting plans only, and one Query finds those past their deadline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from elea.dal.dynamodb.import_store import PLANS_BY_DEADLINE_INDEX, DynamoDbImportStore
from elea.models.import_record import ImportRecord, ImportStatus
from elea_local.cfn_template import LOCAL_REGION
from tests.integration.template_tables import create_template_table

UAI = "0771234Y"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _record(name: str, status: ImportStatus, deadline: datetime | None) -> ImportRecord:
    return ImportRecord(
        import_id=name,
        execution_id=f"exec-{name}",
        bucket="bucket",
        upload_key=f"imports/{UAI}/{name}.csv",
        file_name=f"{name}.csv",
        uai=UAI,
        status=status,
        started_at=NOW - timedelta(hours=1),
        dry_run=deadline is not None,
        decision_deadline=deadline,
    )


@pytest.fixture
def table() -> Iterator[tuple[DynamoDbImportStore, Any, str, Counter[str]]]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name=LOCAL_REGION)
        calls: Counter[str] = Counter()
        client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.update([model.name]))
        name = create_template_table(client, "ImportsTable")
        yield DynamoDbImportStore(name, client=client), client, name, calls


def _indexed(client: Any, name: str) -> int:
    return int(client.scan(TableName=name, IndexName=PLANS_BY_DEADLINE_INDEX, Select="COUNT")["Count"])


def test_one_query_finds_the_waiting_plans_past_their_deadline_oldest_first(
    table: tuple[DynamoDbImportStore, Any, str, Counter[str]],
) -> None:
    store, _, _, calls = table
    # GIVEN two late plans (one a microsecond past a whole second), one within its deadline, and imports
    for record in (
        _record("late2", ImportStatus.AWAITING_DECISION, NOW - timedelta(seconds=1)),
        _record("late1", ImportStatus.AWAITING_DECISION, NOW - timedelta(minutes=3, microseconds=1)),
        _record("fresh", ImportStatus.AWAITING_DECISION, NOW + timedelta(microseconds=1)),
        _record("done", ImportStatus.COMPLETED, None),
        _record("cancelled", ImportStatus.CANCELLED, NOW - timedelta(hours=1)),
    ):
        store.claim(record)
    calls.clear()
    # WHEN the sweep asks which are due THEN one Query answers, in deadline order, with no Scan
    assert store.awaiting_decision_until(NOW) == ["late1", "late2"]
    assert calls == Counter({"Query": 1})


def test_a_decided_plan_leaves_the_index(table: tuple[DynamoDbImportStore, Any, str, Counter[str]]) -> None:
    store, client, name, _ = table
    waiting = _record("plan", ImportStatus.AWAITING_DECISION, NOW - timedelta(minutes=1))
    store.claim(waiting)
    assert _indexed(client, name) == 1
    # WHEN the plan is expired (a save with another status) THEN the index no longer holds it
    store.save(waiting.model_copy(update={"status": ImportStatus.EXPIRED, "export_deleted": True}))
    assert _indexed(client, name) == 0
    assert store.awaiting_decision_until(NOW) == []
    stored = store.get("plan")
    assert stored is not None
    assert stored.status is ImportStatus.EXPIRED
