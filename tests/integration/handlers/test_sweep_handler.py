"""SweepFunction on moto (the template's table, index and environment): an « Aperçu » past its deadline
loses its export and staging, and its record says it expired; a plan within its deadline is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.models.import_record import ImportRecord, ImportStatus
from tests.integration.handlers.conftest import SAMPLE_BUCKET, Deployed

UAI = "0771234Y"
# A scheduled event as EventBridge delivers it: the handler reads nothing from it.
SCHEDULED = {
    "version": "0",
    "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "time": "2026-12-02T10:00:00Z",
    "resources": ["arn:aws:events:eu-west-3:123456789012:rule/elea-import-SweepFunctionEveryFiveMinutes"],
    "detail": {},
}


def _plan(deployed: Deployed, store: DynamoDbImportStore, name: str, deadline: datetime) -> ImportRecord:
    key = f"imports/{UAI}/{name}.csv"
    deployed.s3.put_object(Bucket=SAMPLE_BUCKET, Key=key, Body=b"Nom;Prenom\n")
    record = ImportRecord(
        import_id=name,
        execution_id=f"exec-{name}",
        bucket=SAMPLE_BUCKET,
        upload_key=key,
        file_name=f"{name}.csv",
        uai=UAI,
        status=ImportStatus.AWAITING_DECISION,
        started_at=deadline - timedelta(minutes=31),
        dry_run=True,
        decision_deadline=deadline,
    )
    store.claim(record)
    return record


def _keys(deployed: Deployed) -> list[str]:
    return [item["Key"] for item in deployed.s3.list_objects_v2(Bucket=SAMPLE_BUCKET).get("Contents", [])]


def test_the_scheduled_sweep_deletes_the_late_plans_export_and_marks_it_expired(deployed: Deployed) -> None:
    # GIVEN a plan past its deadline (with staging a stopped step left) and one within it
    store = DynamoDbImportStore(deployed.tables["ImportsTable"], client=deployed.dynamodb)
    now = datetime.now(UTC)
    late = _plan(deployed, store, "late", now - timedelta(minutes=2))
    fresh = _plan(deployed, store, "fresh", now + timedelta(minutes=20))
    deployed.s3.put_object(Bucket=SAMPLE_BUCKET, Key=f"staging/{UAI}/late/chunk-0.jsonl", Body=b"{}")
    # WHEN the schedule invokes the function
    answer = deployed.invoke("SweepFunction", SCHEDULED)
    # THEN it says how many, by counts only
    assert answer == {"due": 1, "expired": 1, "failed": 0}
    # AND the late export and staging are gone, the fresh export is kept
    assert _keys(deployed) == [fresh.upload_key]
    expired = store.get(late.import_id)
    assert expired is not None
    assert expired.status is ImportStatus.EXPIRED
    assert expired.export_deleted
    kept = store.get(fresh.import_id)
    assert kept is not None
    assert kept.status is ImportStatus.AWAITING_DECISION
    # AND a run a few minutes later has nothing more to do
    assert deployed.invoke("SweepFunction", SCHEDULED) == {"due": 0, "expired": 0, "failed": 0}
