"""The school's lease in the DynamoDB imports table (moto): conditional writes, out of the by-uai index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.models.import_record import ImportRecord, ImportStatus
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
