"""The school's lease in the DynamoDB imports table (moto): conditional writes, out of the by-uai index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.errors import ConcurrentChange
from elea.models.import_record import ImportPhase, ImportRecord, ImportStatus
from elea_local.cfn_template import LOCAL_REGION
from tests.integration.template_tables import create_template_table

UAI = "0771234Y"
FIRST = "arn:aws:states:eu-west-3:123456789012:execution:import:first"
SECOND = "arn:aws:states:eu-west-3:123456789012:execution:import:second"
NOW = datetime(2026, 9, 14, 7, 42, tzinfo=UTC)
LEASE = timedelta(hours=3)


@pytest.fixture
def store() -> Iterator[DynamoDbImportStore]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name=LOCAL_REGION)
        yield DynamoDbImportStore(create_template_table(client, "ImportsTable"), client=client)


def test_one_execution_holds_the_school_until_it_gives_it_back(store: DynamoDbImportStore) -> None:
    # GIVEN the first import takes the school
    assert store.acquire_school(UAI, FIRST, now=NOW, lease=LEASE) is None
    # THEN a second is told who holds it, the holder may take it again, and another school is free
    assert store.acquire_school(UAI, SECOND, now=NOW, lease=LEASE) == FIRST
    assert store.acquire_school(UAI, FIRST, now=NOW + timedelta(minutes=5), lease=LEASE) is None
    assert store.acquire_school("0750654D", SECOND, now=NOW, lease=LEASE) is None
    # WHEN the second tries to give back what it does not hold THEN nothing changes
    store.release_school(UAI, SECOND)
    assert store.acquire_school(UAI, SECOND, now=NOW, lease=LEASE) == FIRST
    # WHEN the holder gives it back THEN the second takes it
    store.release_school(UAI, FIRST)
    store.release_school(UAI, FIRST)  # twice: a retried report step
    assert store.acquire_school(UAI, SECOND, now=NOW, lease=LEASE) is None


def test_an_expired_lease_is_taken_over(store: DynamoDbImportStore) -> None:
    assert store.acquire_school(UAI, FIRST, now=NOW, lease=LEASE) is None
    assert store.acquire_school(UAI, SECOND, now=NOW + LEASE - timedelta(seconds=1), lease=LEASE) == FIRST
    assert store.acquire_school(UAI, SECOND, now=NOW + LEASE + timedelta(seconds=1), lease=LEASE) is None


def test_the_lease_is_not_an_import_of_the_school(store: DynamoDbImportStore) -> None:
    # GIVEN a school with one import record and its lease taken
    record = ImportRecord(
        import_id="a" * 24,
        execution_id=FIRST,
        bucket="b",
        upload_key=f"imports/{UAI}/export.csv",
        file_name="export.csv",
        uai=UAI,
        status=ImportStatus.RUNNING,
        started_at=NOW,
    )
    store.claim(record)
    store.acquire_school(UAI, FIRST, now=NOW, lease=LEASE)
    # THEN the school's imports are its records only (the lease item carries no uai: not in the index)
    assert [found.import_id for found in store.started_after(UAI, NOW - timedelta(days=1))] == [record.import_id]


def _running(execution_id: str = FIRST) -> ImportRecord:
    return ImportRecord(
        import_id="b" * 24,
        execution_id=execution_id,
        bucket="b",
        upload_key=f"imports/{UAI}/export.csv",
        file_name="export.csv",
        uai=UAI,
        status=ImportStatus.RUNNING,
        started_at=NOW,
    )


def test_the_final_record_and_the_lease_release_are_one_write(store: DynamoDbImportStore) -> None:
    # GIVEN an import holding its school
    record = store.claim(_running())
    assert store.acquire_school(UAI, FIRST, now=NOW, lease=LEASE) is None
    # WHEN its record is saved final, releasing the school
    store.save(record.model_copy(update={"status": ImportStatus.COMPLETED}), release_school=True)
    # THEN the record is final and the school free for the next import
    stored = store.get(record.import_id)
    assert stored is not None
    assert stored.status is ImportStatus.COMPLETED
    assert store.acquire_school(UAI, SECOND, now=NOW, lease=LEASE) is None


def test_a_final_save_leaves_another_import_s_lease_alone(store: DynamoDbImportStore) -> None:
    # GIVEN the school held by another import (this one's lease expired and was taken over)
    record = store.claim(_running())
    assert store.acquire_school(UAI, SECOND, now=NOW, lease=LEASE) is None
    # WHEN this import's record is saved final, releasing the school
    store.save(record.model_copy(update={"status": ImportStatus.COMPLETED}), release_school=True)
    # THEN the record is final and the other import still holds the school
    stored = store.get(record.import_id)
    assert stored is not None
    assert stored.status is ImportStatus.COMPLETED
    assert store.acquire_school(UAI, FIRST, now=NOW, lease=LEASE) == SECOND


def test_a_final_save_by_a_former_owner_writes_nothing(store: DynamoDbImportStore) -> None:
    # GIVEN a record now owned by another execution, and the school held by the former owner
    store.claim(_running(SECOND))
    assert store.acquire_school(UAI, FIRST, now=NOW, lease=LEASE) is None
    # WHEN the former owner saves it final, releasing the school
    # THEN it is told the import changed hands, and neither the record nor the lease moved
    with pytest.raises(ConcurrentChange):
        store.save(_running(FIRST).model_copy(update={"status": ImportStatus.COMPLETED}), release_school=True)
    stored = store.get("b" * 24)
    assert stored is not None
    assert stored.status is ImportStatus.RUNNING
    assert store.acquire_school(UAI, SECOND, now=NOW, lease=LEASE) == FIRST


def test_a_save_can_move_the_live_progress_on_in_the_same_write(store: DynamoDbImportStore) -> None:
    # GIVEN a claimed import
    record = store.claim(_running())
    # WHEN its fingerprint is saved with the next phase
    store.save(record.model_copy(update={"content_sha256": "f" * 64}), phase=ImportPhase.CLASSES, people=570)
    # THEN both are on the record
    stored = store.get(record.import_id)
    assert stored is not None
    assert stored.content_sha256 == "f" * 64
    assert stored.progress is not None
    assert (stored.progress.phase, stored.progress.people, stored.progress.processed) == (ImportPhase.CLASSES, 570, 0)
