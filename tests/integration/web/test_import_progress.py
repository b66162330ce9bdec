"""The import record's live progress on DynamoDB: parallel chunks add to it, a save of the record keeps
it, and the page's phase follows it (issue 8)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.models.import_record import ImportPhase, ImportRecord, ImportStatus
from elea.web.imports_view import phase_of
from elea_local.cfn_template import LOCAL_REGION
from tests.integration.template_tables import create_template_table

START = datetime(2026, 9, 1, 8, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[DynamoDbImportStore]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name=LOCAL_REGION)
        yield DynamoDbImportStore(create_template_table(client, "ImportsTable"), client=client)


def _record(import_id: str, uai: str = "0771234Y", minutes: int = 0) -> ImportRecord:
    return ImportRecord(
        import_id=import_id,
        execution_id="exec-1",
        bucket="b",
        upload_key=f"imports/{uai}/export.csv",
        file_name="export.csv",
        uai=uai,
        status=ImportStatus.RUNNING,
        started_at=START + timedelta(minutes=minutes),
    )


def test_chunks_add_their_people_atomically_and_a_save_keeps_the_progress(store: DynamoDbImportStore) -> None:
    store.claim(_record("imp1"))
    assert phase_of(store.get("imp1")) is ImportPhase.UPLOAD  # type: ignore[arg-type]
    store.record_progress("imp1", phase=ImportPhase.CLASSES, people=2500)
    assert phase_of(store.get("imp1")) is ImportPhase.CLASSES  # type: ignore[arg-type]
    # WHEN three Map iterations report at once
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda n: store.record_progress("imp1", phase=ImportPhase.USERS, processed=n), (1000, 1000)))
    record = store.get("imp1")
    assert record is not None
    assert record.progress is not None
    assert (record.progress.people, record.progress.processed) == (2500, 2000)
    assert phase_of(record) is ImportPhase.USERS
    # AND the deprovisioning step saves the record (held suspensions) meanwhile
    store.save(record.model_copy(update={"held": ["a"]}))
    store.record_progress("imp1", phase=ImportPhase.USERS, processed=500)
    record = store.get("imp1")
    assert record is not None
    assert record.held == ["a"]
    assert record.progress is not None
    assert record.progress.processed == 2500
    # THEN every chunk done: the report is being written
    assert phase_of(record) is ImportPhase.REPORT
    store.save(record.model_copy(update={"status": ImportStatus.COMPLETED}))
    assert phase_of(store.get("imp1")) is ImportPhase.DONE  # type: ignore[arg-type]


def test_recent_lists_one_schools_imports_newest_first_and_upload_links(store: DynamoDbImportStore) -> None:
    store.claim(_record("old", minutes=0))
    store.claim(_record("new", minutes=5))
    store.claim(_record("other", uai="0751234J", minutes=3))
    store.link_upload("a" * 32, "new")
    assert [record.import_id for record in store.recent("0771234Y", 10)] == ["new", "old"]
    assert store.import_of_upload("a" * 32) == "new"
    assert store.import_of_upload("b" * 32) is None
    assert store.get(f"upload#{'a' * 32}") is None  # the link is not an import
