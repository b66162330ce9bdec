"""Each handler on moto, with the template's environment and AWS's sample events."""

from __future__ import annotations

from typing import Any

import pytest

from elea.config.environment import InvalidSettings
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.models.import_record import ImportStatus
from elea.models.parse_manifest import ParseManifest, ParseStatus
from tests.fixtures.chain_rosters import siecle_zip
from tests.integration.handlers.conftest import SAMPLE_BUCKET, Deployed, sample_event

EXECUTION = "arn:aws:states:eu-west-3:123456789012:execution:elea-import:one"
UAI = "0771234Y"


def dropped(deployed: Deployed, key: str, body: bytes) -> dict[str, Any]:
    deployed.s3.put_object(Bucket=SAMPLE_BUCKET, Key=key, Body=body)
    event = sample_event("object_created.json")
    event["detail"]["object"]["key"] = key
    return event


def keys(deployed: Deployed, prefix: str) -> list[str]:
    listing = deployed.s3.list_objects_v2(Bucket=SAMPLE_BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_parse_handler_claims_and_stages_the_dropped_export(deployed: Deployed) -> None:
    # GIVEN a SIECLE export dropped under its school's UAI, as the sample event announces it
    event = dropped(deployed, f"imports/{UAI}/ElevesSansAdresses.zip", siecle_zip(UAI, 30))
    # WHEN the parse handler is invoked with the state machine's payload
    answer = deployed.invoke("ParseFunction", {"event": event, "execution_id": EXECUTION})
    # THEN the answer is a small manifest, the chunks are in staging, the import is claimed
    manifest = ParseManifest.model_validate(answer)
    assert manifest.status is ParseStatus.READY
    assert manifest.people_count == 30
    assert keys(deployed, manifest.staging_prefix or "-")
    record = DynamoDbImportStore(deployed.tables["ImportsTable"], client=deployed.dynamodb).get(manifest.import_id)
    assert record is not None
    assert record.status is ImportStatus.RUNNING
    assert record.execution_id == EXECUTION


def test_parse_handler_finds_a_url_encoded_key(deployed: Deployed) -> None:
    # GIVEN "export (1).zip" announced with a URL-encoded key, as S3 event deliveries may
    event = sample_event("object_created_encoded_key.json")
    deployed.s3.put_object(Bucket=SAMPLE_BUCKET, Key=f"imports/{UAI}/export (1).zip", Body=siecle_zip(UAI, 3))
    event["detail"]["object"]["key"] = f"imports/{UAI}/export+%281%29.zip"
    answer = deployed.invoke("ParseFunction", {"event": event, "execution_id": EXECUTION})
    # THEN the dropped file is found and read
    assert answer["status"] == "ready"
    assert answer["upload_key"] == f"imports/{UAI}/export (1).zip"


def test_parse_handler_refuses_a_key_with_an_invalid_uai(deployed: Deployed) -> None:
    answer = deployed.invoke(
        "ParseFunction", {"event": sample_event("object_created_invalid_uai.json"), "execution_id": EXECUTION}
    )
    assert answer["status"] == "refused"
    assert answer["failure"]["code"] == "invalid_uai"


def test_a_whole_chain_of_handlers_ends_with_the_export_and_staging_deleted(deployed: Deployed) -> None:
    # GIVEN the handlers called in the state machine's order, with the payloads its paths build
    event = dropped(deployed, f"imports/{UAI}/ElevesSansAdresses.zip", siecle_zip(UAI, 12))
    manifest = deployed.invoke("ParseFunction", {"event": event, "execution_id": EXECUTION})
    cohorts = deployed.invoke("ClassesFunction", {"manifest": manifest})
    chunks = [
        deployed.invoke(
            "UsersFunction",
            {
                "import_id": manifest["import_id"],
                "uai": manifest["uai"],
                "staging_prefix": manifest["staging_prefix"],
                "chunk": chunk,
            },
        )
        for chunk in manifest["chunks"]
    ]
    deprovision = deployed.invoke("DeprovisionFunction", {"execution_id": EXECUTION, "manifest": manifest})
    # WHEN the report handler closes the import
    outcome = deployed.invoke(
        "ReportFunction",
        {
            "execution_id": EXECUTION,
            "manifest": manifest,
            "cohorts": cohorts,
            "chunks": chunks,
            "deprovision": deprovision,
        },
    )
    # THEN it is completed, and only the reports remain in the bucket: the SIECLE students' login
    # sheets (issue 4) beside the report, the staged clear passwords deleted with the staging
    assert outcome["status"] == "completed"
    assert outcome["counts"]["created"] == 12
    assert outcome["export_deleted"] is True
    assert keys(deployed, "") == [
        f"login-sheets/{UAI}/{manifest['import_id']}/fiches-de-connexion.csv",
        f"login-sheets/{UAI}/{manifest['import_id']}/fiches-de-connexion.html",
        f"reports/{UAI}/{manifest['import_id']}/report.csv",
        f"reports/{UAI}/{manifest['import_id']}/report.json",
    ]


def test_failure_handler_records_a_refusal_and_deletes_the_export(deployed: Deployed) -> None:
    event = dropped(deployed, "imports/0750654D/ElevesSansAdresses.zip", siecle_zip(UAI, 3))
    manifest = deployed.invoke("ParseFunction", {"event": event, "execution_id": EXECUTION})
    assert manifest["failure"]["code"] == "uai_mismatch"
    outcome = deployed.invoke(
        "ReportFailureFunction", {"event": event, "execution_id": EXECUTION, "manifest": manifest}
    )
    assert outcome["status"] == "refused"
    assert keys(deployed, "imports/") == []
    record = DynamoDbImportStore(deployed.tables["ImportsTable"], client=deployed.dynamodb).get(outcome["import_id"])
    assert record is not None
    assert record.failure is not None
    assert record.failure.code == "uai_mismatch"


def test_a_missing_setting_is_named_at_entry(deployed: Deployed, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMPORTS_TABLE")
    with pytest.raises(InvalidSettings) as invalid:
        deployed.invoke("ParseFunction", {"event": sample_event("object_created.json"), "execution_id": EXECUTION})
    assert "IMPORTS_TABLE" in invalid.value.message
