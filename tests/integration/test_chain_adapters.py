"""The chain's S3 and DynamoDB adapters on moto: conditional claims, owner-only saves, AWS errors
turned into our own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.staging import S3StagingStore
from elea.errors import ConcurrentChange, PlatformError
from elea.models.import_record import ImportRecord, ImportStatus
from elea_local.cfn_template import LOCAL_REGION, local_stack

BUCKET = "elea-adapters"


@pytest.fixture
def clients() -> Iterator[tuple[Any, Any]]:
    with mock_aws():
        s3 = boto3.client("s3", region_name=LOCAL_REGION)
        dynamodb = boto3.client("dynamodb", region_name=LOCAL_REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": LOCAL_REGION})
        spec = local_stack().tables["ImportsTable"]
        dynamodb.create_table(
            TableName=spec.name,
            KeySchema=spec.properties["KeySchema"],
            AttributeDefinitions=spec.properties["AttributeDefinitions"],
            GlobalSecondaryIndexes=spec.properties["GlobalSecondaryIndexes"],
            BillingMode="PAY_PER_REQUEST",
        )
        yield s3, dynamodb


def record(execution: str) -> ImportRecord:
    return ImportRecord(
        import_id="abc",
        execution_id=execution,
        bucket=BUCKET,
        upload_key="imports/0750654D/export.csv",
        file_name="export.csv",
        uai="0750654D",
        status=ImportStatus.RUNNING,
        started_at=datetime(2026, 9, 14, tzinfo=UTC),
    )


def test_the_first_claim_wins_and_later_ones_get_it_back(clients: tuple[Any, Any]) -> None:
    _, dynamodb = clients
    store = DynamoDbImportStore(local_stack().tables["ImportsTable"].name, client=dynamodb)
    assert store.claim(record("first")).execution_id == "first"
    assert store.claim(record("second")).execution_id == "first"
    assert store.get("abc") == record("first")
    assert store.get("missing") is None


def test_only_the_owner_may_save_the_record(clients: tuple[Any, Any]) -> None:
    _, dynamodb = clients
    store = DynamoDbImportStore(local_stack().tables["ImportsTable"].name, client=dynamodb)
    store.claim(record("first"))
    store.save(record("first").model_copy(update={"status": ImportStatus.COMPLETED}))
    with pytest.raises(ConcurrentChange):
        store.save(record("second"))
    stored = store.get("abc")
    assert stored is not None
    assert stored.status is ImportStatus.COMPLETED


def test_staging_store_reads_writes_and_deletes_by_prefix(clients: tuple[Any, Any], tmp_path: Path) -> None:
    s3, _ = clients
    store = S3StagingStore(BUCKET, client=s3)
    for index in range(3):
        store.put(f"staging/0750654D/abc/{index}.json", b"{}", "application/json")
    store.put("imports/0750654D/export.csv", b"Id;Nom", "text/csv")
    assert store.size("imports/0750654D/export.csv") == 6
    assert store.size("imports/0750654D/missing.csv") is None
    assert store.get("staging/0750654D/abc/missing.json") is None
    store.download("imports/0750654D/export.csv", tmp_path / "export.csv")
    assert (tmp_path / "export.csv").read_bytes() == b"Id;Nom"
    assert store.delete_prefix("staging/0750654D/abc/") == 3
    store.delete(["imports/0750654D/export.csv", "imports/0750654D/export.csv"])  # twice: no error
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_aws_errors_become_platform_errors_in_french(clients: tuple[Any, Any]) -> None:
    s3, dynamodb = clients
    with pytest.raises(PlatformError) as failed:
        S3StagingStore("no-such-bucket", client=s3).put("k", b"", "text/plain")
    assert "stockage" in failed.value.message
    with pytest.raises(PlatformError):
        DynamoDbImportStore("no-such-table", client=dynamodb).get("abc")


def test_an_establishments_later_imports_come_from_the_by_uai_index(clients: tuple[Any, Any]) -> None:
    # GIVEN three imports of one school and one of another, at different times
    _, dynamodb = clients
    store = DynamoDbImportStore(local_stack().tables["ImportsTable"].name, client=dynamodb)
    base = record("first")
    for import_id, uai, hour in (
        ("a", "0750654D", 7),
        ("b", "0750654D", 8),
        ("c", "0750654D", 9),
        ("d", "0771234Y", 9),
    ):
        store.claim(
            base.model_copy(
                update={"import_id": import_id, "uai": uai, "started_at": datetime(2026, 9, 14, hour, tzinfo=UTC)}
            )
        )
    # WHEN the imports of the first school after 07:00 are asked for
    later = store.started_after("0750654D", datetime(2026, 9, 14, 7, tzinfo=UTC))
    # THEN they are the two later ones, oldest first, and nothing of the other school
    assert [found.import_id for found in later] == ["b", "c"]


def test_a_schools_history_is_read_in_one_query_and_one_batch_whatever_its_length(clients: tuple[Any, Any]) -> None:
    # GIVEN 120 imports of one school
    _, dynamodb = clients
    store = DynamoDbImportStore(local_stack().tables["ImportsTable"].name, client=dynamodb)
    base = record("first")
    for index in range(120):
        started = datetime(2026, 9, 14, 7, tzinfo=UTC).replace(minute=index % 60, hour=7 + index // 60)
        store.claim(base.model_copy(update={"import_id": f"i{index:03d}", "uai": "0750654D", "started_at": started}))
    calls: list[str] = []
    dynamodb.meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    # WHEN its history and its latest imports are read
    history = store.started_after("0750654D", datetime(2026, 9, 14, 6, tzinfo=UTC))
    latest = store.recent("0750654D", 3)
    # THEN every record came whole, in time order, from one Query and two BatchGetItem of 100 keys at most
    assert [found.import_id for found in history] == [f"i{index:03d}" for index in range(120)]
    assert [found.import_id for found in latest] == ["i119", "i118", "i117"]
    assert calls == ["Query", "BatchGetItem", "BatchGetItem", "Query", "BatchGetItem"]
