"""`elea-import serve` end to end: log in over HTTP, get a presigned POST, post the file to moto's S3
server as a browser would, and see the chain import it; forged forms are refused by the local endpoint."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from elea_local.runner import LOCAL_ACTIVATION_PAGE_URL
from elea_local.serve import LocalServer
from tests.integration.web.serve_client import GOOD_PASSWORD, PageClient, mail_text, register

UAI = "0771234Y"
OTHER = "0751234J"
EXPORT = Path(__file__).resolve().parents[2] / "fixtures" / "sample" / "export.csv"
# A guard against a hung chain, not a timing assertion.
DEADLINE = 300


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[LocalServer, PageClient, threading.Event]]:
    state = tmp_path / "state"
    eml, token = register(state, UAI)
    # The activation link `establishment add` e-mails locally leads to serve's /activation
    assert f"{LOCAL_ACTIVATION_PAGE_URL}#token={token}" in mail_text(eml)
    server = LocalServer(state, port=0)
    finished = threading.Event()
    server.on_finished = lambda status: finished.set()
    with server.running():
        page = PageClient(server.url)
        # The served /activation is the AuthFunction's page, and its POST activates the account
        activation_page = page.get("/activation")
        assert activation_page.status_code == 200
        assert "text/html" in activation_page.headers["Content-Type"]
        activated = page.post("/activation", {"token": token, "new_password": GOOD_PASSWORD}, csrf=False)
        assert activated.status_code == 200, activated.text
        yield server, page, finished


def test_upload_through_presigned_post_runs_the_chain(served: tuple[LocalServer, PageClient, threading.Event]) -> None:
    server, page, finished = served
    # GIVEN the school's manager logged in on the served page
    assert page.log_in(UAI).status_code == 200
    assert page.get("/api/establishment").json()["name"] == "Collège Jean Moulin"
    # WHEN the page asks for an upload form and posts export.csv to it, as the browser does
    body = EXPORT.read_bytes()
    ticket = page.post("/api/uploads", {"file_name": "export.csv", "size": len(body), "dry_run": False}).json()
    assert ticket["url"].startswith(server.result.upload_url)
    assert ticket["fields"]["key"] == f"imports/{UAI}/export.csv"
    posted = requests.post(ticket["url"], data=ticket["fields"], files={"file": ("export.csv", body)}, timeout=30)
    assert posted.status_code == 204
    # THEN the local stack notices the object and the chain imports it
    assert finished.wait(DEADLINE)
    assert server.result.finished == ["SUCCEEDED"]
    import_id = page.get(f"/api/uploads/{ticket['upload_id']}").json()["import_id"]
    assert import_id
    state = page.get(f"/api/imports/{import_id}").json()
    assert state["status"] == "completed"
    assert state["phase"] == "done"
    assert state["processed"] == state["people_count"] > 0
    assert state["counts"]["created"] > 0
    history = page.get("/api/imports").json()
    assert [entry["import_id"] for entry in history] == [import_id]
    report = page.get(f"/api/imports/{import_id}/report").json()
    assert report["counts"] == state["counts"]
    # Item 7: every row names its person beside the Id, and the classes come with their member counts
    created = [row for row in report["rows"] if row["outcome"] == "created"]
    assert len(created) == state["counts"]["created"]
    assert all(row["id"] and row["last_name"] and row["first_name"] for row in created)
    assert sum(cls["members"] for cls in report["classes"]) >= sum(1 for row in created if row["class_name"])
    csv = page.get(f"/api/imports/{import_id}/report.csv")
    assert csv.status_code == 200
    assert "attachment" in csv.headers["Content-Disposition"]


def test_forged_forms_are_refused_by_the_local_endpoint(
    served: tuple[LocalServer, PageClient, threading.Event],
) -> None:
    server, page, finished = served
    assert page.log_in(UAI).status_code == 200
    body = EXPORT.read_bytes()
    ticket = page.post("/api/uploads", {"file_name": "export.csv", "size": len(body)}).json()
    # WHEN the key is changed to another school's folder (the signed policy pins the exact key)
    forged = {**ticket["fields"], "key": f"imports/{OTHER}/export.csv"}
    answer = requests.post(ticket["url"], data=forged, files={"file": ("export.csv", body)}, timeout=30)
    # THEN S3's answer: refused, and nothing is imported
    assert answer.status_code == 403
    assert "<Code>AccessDenied</Code>" in answer.text
    # WHEN the policy itself is rewritten (not signed by the stack)
    unsigned = {**ticket["fields"], "policy": ticket["fields"]["policy"][:-4] + "AAAA"}
    answer = requests.post(ticket["url"], data=unsigned, files={"file": ("export.csv", body)}, timeout=30)
    assert answer.status_code == 403
    assert "SignatureDoesNotMatch" in answer.text
    # WHEN the metadata naming the school is changed
    meta = {**ticket["fields"], "x-amz-meta-uai": OTHER}
    answer = requests.post(ticket["url"], data=meta, files={"file": ("export.csv", body)}, timeout=30)
    assert answer.status_code == 403
    assert server.result.finished == []
    assert not finished.is_set()


def test_apercu_then_lancer_imports_for_real(served: tuple[LocalServer, PageClient, threading.Event]) -> None:
    server, page, finished = served
    assert page.log_in(UAI).status_code == 200
    body = EXPORT.read_bytes()
    # GIVEN an upload with « Aperçu » ticked
    ticket = page.post("/api/uploads", {"file_name": "export.csv", "size": len(body), "dry_run": True}).json()
    assert ticket["fields"]["x-amz-meta-dry-run"] == "true"
    posted = requests.post(ticket["url"], data=ticket["fields"], files={"file": ("export.csv", body)}, timeout=30)
    assert posted.status_code == 204
    assert finished.wait(DEADLINE)
    planned = page.get(f"/api/uploads/{ticket['upload_id']}").json()["import_id"]
    state = page.get(f"/api/imports/{planned}").json()
    # THEN the plan waits for a decision, nothing imported yet
    assert (state["phase"], state["dry_run"]) == ("awaiting_decision", True)
    # WHEN « Lancer l'importation »
    finished.clear()
    launched = page.post(f"/api/imports/{planned}/launch", {})
    assert launched.status_code == 200, launched.text
    # THEN the kept export is imported for real, linked to the same upload
    assert finished.wait(DEADLINE)
    real = page.get(f"/api/uploads/{ticket['upload_id']}").json()["import_id"]
    assert real != planned
    final = page.get(f"/api/imports/{real}").json()
    assert (final["status"], final["dry_run"]) == ("completed", False)
    assert final["counts"]["created"] > 0
    assert server.result.finished == ["SUCCEEDED", "SUCCEEDED"]
