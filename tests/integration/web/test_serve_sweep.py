"""`elea-import serve` runs the template's scheduled sweep on a timer: an « Aperçu » past its deadline loses
its export in the served stack too, and the page then says it expired; stopping the server stops the timer."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import requests

from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea_local.cfn_template import LOCAL_REGION
from elea_local.serve import LocalServer
from tests.integration.web.serve_client import GOOD_PASSWORD, PageClient, register

UAI = "0771234Y"
EXPORT = Path(__file__).resolve().parents[2] / "fixtures" / "sample" / "export.csv"
# Guards against a hung chain or timer, not timing assertions.
DEADLINE = 300


def test_the_served_stack_sweeps_a_plan_past_its_deadline(tmp_path: Path) -> None:
    state = tmp_path / "state"
    _, token = register(state, UAI)
    runs: list[dict[str, Any] | None] = []
    swept = threading.Event()

    def on_run(function: str, answer: dict[str, Any] | None) -> None:
        runs.append(answer)
        if answer is not None and answer["expired"]:
            swept.set()

    # GIVEN the served page, its sweep every 0.2 s instead of the template's 5 minutes
    server = LocalServer(state, port=0, schedule_every_seconds=0.2, on_scheduled_run=on_run)
    finished = threading.Event()
    server.on_finished = lambda status: finished.set()
    with server.running():
        page = PageClient(server.url)
        assert page.post("/activation", {"token": token, "new_password": GOOD_PASSWORD}, csrf=False).status_code == 200
        assert page.log_in(UAI).status_code == 200
        # AND an « Aperçu » waiting for a decision, its export kept
        body = EXPORT.read_bytes()
        ticket = page.post("/api/uploads", {"file_name": "export.csv", "size": len(body), "dry_run": True}).json()
        posted = requests.post(ticket["url"], data=ticket["fields"], files={"file": ("export.csv", body)}, timeout=30)
        assert posted.status_code == 204
        assert finished.wait(DEADLINE)
        planned = page.get(f"/api/uploads/{ticket['upload_id']}").json()["import_id"]
        assert page.get(f"/api/imports/{planned}").json()["status"] == "awaiting_decision"
        stack = server._chain.stack
        s3 = boto3.client("s3", region_name=LOCAL_REGION)
        exports = s3.list_objects_v2(Bucket=stack.bucket_name, Prefix=f"imports/{UAI}/").get("KeyCount", 0)
        assert exports == 1
        assert runs
        assert all(answer == {"due": 0, "expired": 0, "failed": 0} for answer in runs)
        # WHEN its deadline passes (moved back rather than waited for)
        imports = DynamoDbImportStore(stack.tables["ImportsTable"].name)
        record = imports.get(planned)
        assert record is not None
        imports.save(record.model_copy(update={"decision_deadline": datetime.now(UTC) - timedelta(seconds=1)}))
        # THEN the next sweep deletes the export and the page says the plan expired
        assert swept.wait(DEADLINE)
        assert s3.list_objects_v2(Bucket=stack.bucket_name, Prefix=f"imports/{UAI}/").get("KeyCount", 0) == 0
        assert page.get(f"/api/imports/{planned}").json()["status"] == "expired"
        launched = page.post(f"/api/imports/{planned}/launch", {})
        assert (launched.status_code, launched.json()["code"]) == (410, "plan_expired")
        assert "a expiré" in launched.json()["message"]
    # AND once the server stopped, its timer runs no more
    count = len(runs)
    assert not any(thread.name == "elea-SweepFunction" for thread in threading.enumerate())
    assert len(runs) == count
