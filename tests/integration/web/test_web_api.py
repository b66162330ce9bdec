"""The web API at the HTTP level (API Gateway v2 events, on moto): sessions, CSRF, and the session's UAI
scoping every route, whatever id, key or field a page forges."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from elea.dal.dynamodb.sessions import DynamoDbSessionStore
from elea.models.import_plan import FieldChange, ImportPlan, PlannedAccount, PlannedCohorts
from elea.models.import_record import HeldDecision, ImportStatus
from elea.models.outcome import Outcome
from elea.ports.platform import Account, AccountChange, AccountStatus
from elea.web.session import Session
from elea.web.sessions import csrf_token, token_digest
from tests.integration.web.conftest import PENDING, SCHOOL_A, SCHOOL_B, WebApi


# -------------------------------------------------------------------------------------------------
# Log-in, sessions, logout
# -------------------------------------------------------------------------------------------------
def test_login_opens_a_session_whose_cookie_is_host_only_httponly_secure_strict(web: WebApi) -> None:
    page = web.page()
    answer = page.log_in(SCHOOL_A)
    assert answer.status == 200
    assert answer.json()["uai"] == SCHOOL_A
    [cookie] = answer.cookies
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"path", "secure", "httponly", "samesite"} <= attributes
    assert "SameSite=Strict" in cookie
    assert "Path=/" in cookie
    assert "domain" not in attributes
    assert cookie.startswith("__Host-elea_session=")
    assert answer.headers["Cache-Control"] == "no-store"
    # THEN only the token's digest is stored, never the token
    assert page.cookie
    stored = web.dynamodb.scan(TableName=web.settings.sessions_table)["Items"]
    assert [item["pk"]["S"] for item in stored] == [f"SESSION#{token_digest(page.cookie)}"]
    assert page.cookie not in json.dumps(stored)
    # AND the session reads the school's establishment
    assert page.get("/api/establishment").json() == {
        "uai": SCHOOL_A,
        "name": "Collège Jean Moulin",
        "platform_url": "https://idf-77-3.elea.apps.education.fr/",
        "dry_run_default": False,
    }


def test_wrong_password_and_pending_account(web: WebApi) -> None:
    page = web.page()
    wrong = page.log_in(SCHOOL_A, "Pas-le-bon-1")
    assert wrong.status == 401
    assert wrong.json()["code"] == "login_failed"
    assert wrong.cookies == []
    # GIVEN a pending account WHEN its initial password is used THEN it is sent to its activation
    pending = page.log_in(PENDING, web.initial_passwords[PENDING])
    assert pending.status == 403
    assert pending.json()["code"] == "password_change_required"
    assert pending.json()["activation_url"] == web.settings.activation_page_url
    assert pending.cookies == []


def test_login_is_rate_limited_as_the_auth_function(web: WebApi) -> None:
    page = web.page()
    for _ in range(web.settings.login_attempt_limit):
        assert page.log_in(SCHOOL_A, "Pas-le-bon-1").status == 401
    limited = page.log_in(SCHOOL_A)
    assert limited.status == 429
    assert limited.json()["code"] == "too_many_attempts"
    assert "Retry-After" in limited.headers


def test_no_session_unknown_token_and_idle_expiry_answer_session_expired(web: WebApi) -> None:
    page = web.page()
    assert page.get("/api/imports").status == 401
    assert page.get("/api/imports").json()["code"] == "session_expired"
    page.cookie = "forged-token"
    assert page.get("/api/imports").status == 401
    # GIVEN a session idle for longer than SessionIdleMinutes
    token = "idle-session-token"
    long_ago = datetime.now(UTC) - timedelta(minutes=web.settings.session_idle_minutes + 1)
    DynamoDbSessionStore(web.settings.sessions_table, client=web.dynamodb).put(
        Session(
            token_digest=token_digest(token),
            uai=SCHOOL_A,
            created_at=long_ago,
            last_seen=long_ago,
            expires_at=long_ago + timedelta(minutes=web.settings.session_idle_minutes),
            csrf_digest=token_digest(csrf_token(token)),
        )
    )
    page.cookie = token
    assert page.get("/api/imports").json()["code"] == "session_expired"
    # AND a page without a session is sent to the login page
    page.cookie = None
    redirect = page.get("/accueil")
    assert redirect.status == 303
    assert redirect.headers["Location"] == "/connexion"


def test_logout_needs_csrf_and_ends_the_session_server_side(web: WebApi) -> None:
    page = web.page()
    page.log_in(SCHOOL_A)
    assert page.post("/api/session/logout", csrf=False).json()["code"] == "csrf_invalid"
    answer = page.post("/api/session/logout")
    assert answer.status == 200
    assert "Max-Age=0" in answer.cookies[0]
    # THEN the old cookie no longer opens anything, even replayed
    assert page.get("/api/imports").status == 401
    assert web.dynamodb.scan(TableName=web.settings.sessions_table)["Items"] == []


def test_every_state_changing_request_needs_the_csrf_token(web: WebApi) -> None:
    page = web.page()
    page.log_in(SCHOOL_A)
    web.completed_import(SCHOOL_A, "imp0a", held=["acc-1"])
    body = {"file_name": "export.csv", "size": 10}
    for path, payload in (("/api/uploads", body), ("/api/imports/imp0a/held", {"decision": "keep"})):
        missing = page.post(path, payload, csrf=False)
        assert missing.status == 403
        assert missing.json()["code"] == "csrf_invalid"
        wrong = page.post(path, payload, csrf="0" * 64)
        assert wrong.status == 403
        assert wrong.json()["code"] == "csrf_invalid"
    # AND another session's token is not this session's
    other = web.page()
    other.log_in(SCHOOL_A)
    assert page.post("/api/uploads", body, csrf=other.csrf).json()["code"] == "csrf_invalid"
    assert page.post("/api/uploads", body).status == 200


# -------------------------------------------------------------------------------------------------
# The session's UAI scopes everything
# -------------------------------------------------------------------------------------------------
def test_history_lists_only_the_sessions_school(web: WebApi) -> None:
    web.completed_import(SCHOOL_A, "impa1")
    web.completed_import(SCHOOL_B, "impb1")
    page = web.page()
    page.log_in(SCHOOL_A)
    history = page.get("/api/imports").json()
    assert [entry["import_id"] for entry in history] == ["impa1"]
    assert history[0]["file_name"] == "export.csv"
    assert history[0]["status"] == "completed"


def test_another_schools_import_is_not_found_by_any_forged_url(web: WebApi) -> None:
    web.completed_import(SCHOOL_A, "impa1")
    web.completed_import(SCHOOL_B, "impb1", held=["acc-b"])
    page = web.page()
    page.log_in(SCHOOL_A)
    unknown = page.get("/api/imports/doesnotexist")
    assert unknown.status == 404
    for path in ("/api/imports/impb1", "/api/imports/impb1/report", "/api/imports/impb1/report.csv"):
        answer = page.get(path)
        # THEN exactly the answer of an unknown import: nothing tells that it exists
        assert answer.status == 404, path
        assert answer.json() == unknown.json()
        assert "Nom-0751234J" not in answer.text
    held = page.post("/api/imports/impb1/held", {"decision": "keep"})
    assert held.status == 404
    assert held.json() == unknown.json()
    assert web.imports.get("impb1").held == ["acc-b"]  # type: ignore[union-attr]
    # AND path tricks do not reach it either
    for forged in ("/api/imports/impb1%2F..%2Fimpa1", "/api/imports/..%2Fimpb1", "/api/imports/IMPB1"):
        assert page.get(forged).status == 404


def test_a_forged_report_key_is_never_read(web: WebApi) -> None:
    # GIVEN an import of school A whose record pointed at school B's report (a forged or corrupted key)
    web.completed_import(SCHOOL_B, "impb1")
    record = web.completed_import(SCHOOL_A, "impa1")
    forged = record.report.model_copy(  # type: ignore[union-attr]
        update={"json_key": "reports/0751234J/impb1/report.json", "csv_key": "reports/0751234J/impb1/report.csv"}
    )
    web.imports.save(record.model_copy(update={"report": forged}))
    page = web.page()
    page.log_in(SCHOOL_A)
    # WHEN the page reads the report, with or without a key of its own in the query
    for path in ("/api/imports/impa1/report", "/api/imports/impa1/report.csv", "/api/imports/impa1/report?key=x"):
        answer = page.get(path)
        # THEN nothing of school B is read
        assert answer.status == 404, path
        assert answer.json()["code"] == "report_unavailable"
        assert "Nom-0751234J" not in answer.text


def test_the_upload_key_is_pinned_to_the_sessions_school_whatever_the_file_name(web: WebApi) -> None:
    page = web.page()
    page.log_in(SCHOOL_A)
    for name in ("export.csv", "../0751234J/export.csv", "imports/0751234J/export.csv", "..\\0751234J\\x.csv"):
        answer = page.post("/api/uploads", {"file_name": name, "size": 100, "dry_run": False})
        assert answer.status == 200, name
        form = answer.json()
        key = form["fields"]["key"]
        assert key.startswith(f"imports/{SCHOOL_A}/"), name
        assert key.count("/") == 2
        assert form["fields"]["x-amz-meta-uai"] == SCHOOL_A
        policy = json.loads(base64.b64decode(form["fields"]["policy"]))
        conditions = policy["conditions"]
        assert {"key": key} in conditions
        assert ["content-length-range", 1, web.settings.max_upload_bytes] in conditions
        assert {"x-amz-meta-uai": SCHOOL_A} in conditions
        assert {"x-amz-meta-upload-id": form["upload_id"]} in conditions
    # AND a body naming another school's key or UAI is refused as malformed, not obeyed
    forged = page.post("/api/uploads", {"file_name": "export.csv", "size": 100, "key": "imports/0751234J/x.csv"})
    assert forged.status == 400
    assert forged.json()["code"] == "invalid_request"
    # AND sizes outside 1..MaxUploadBytes are refused before any form is signed
    for size in (0, web.settings.max_upload_bytes + 1):
        refused = page.post("/api/uploads", {"file_name": "export.csv", "size": size})
        assert refused.status == 400
        assert refused.json()["code"] == "upload_refused"
        assert refused.json()["hint"]


def test_another_schools_upload_id_is_not_found(web: WebApi) -> None:
    web.completed_import(SCHOOL_B, "impb1")
    web.imports.link_upload("b" * 32, "impb1")
    web.completed_import(SCHOOL_A, "impa1")
    web.imports.link_upload("a" * 32, "impa1")
    page = web.page()
    page.log_in(SCHOOL_A)
    assert page.get("/api/uploads/" + "a" * 32).json() == {"import_id": "impa1"}
    assert page.get("/api/uploads/" + "c" * 32).json() == {"import_id": None}  # not claimed yet
    forged = page.get("/api/uploads/" + "b" * 32)
    assert forged.status == 404
    assert forged.json()["code"] == "upload_not_found"
    assert page.get("/api/uploads/not-an-id").status == 404


# -------------------------------------------------------------------------------------------------
# Progress, report and held suspensions
# -------------------------------------------------------------------------------------------------
def test_import_state_and_report_of_the_sessions_school(web: WebApi) -> None:
    web.completed_import(SCHOOL_A, "impa1")
    page = web.page()
    page.log_in(SCHOOL_A)
    state = page.get("/api/imports/impa1").json()
    assert state["status"] == "completed"
    assert state["phase"] == "done"
    assert state["report_available"] is True
    report = page.get("/api/imports/impa1/report").json()
    assert report["rows"][0]["last_name"] == "Nom-0771234Y"
    csv = page.get("/api/imports/impa1/report.csv")
    assert csv.headers["Content-Disposition"].startswith('attachment; filename="rapport-export-')
    assert "Nom-0771234Y" in csv.text


def _account(account_id: str) -> Account:
    return Account(
        username=f"user.{account_id}",
        account_id=account_id,
        ent_id=f"ent-{account_id}",
        last_name="Martin",
        first_name="Léa",
        profile=None,
    )


def _existing(account_id: str) -> AccountChange:
    """An account the school already has (written as a change of itself, so it keeps this id)."""
    account = _account(account_id)
    return AccountChange(before=account, after=account)


def test_held_keep_records_the_choice_and_suspends_nobody(web: WebApi) -> None:
    web.platform.write_accounts(SCHOOL_A, [_existing("acc-1")])
    web.completed_import(SCHOOL_A, "impa1", held=["acc-1"])
    page = web.page()
    page.log_in(SCHOOL_A)
    # GIVEN the report lists who would be suspended
    report = page.get("/api/imports/impa1/report").json()
    assert [(person["last_name"], person["class_name"]) for person in report["held"]] == [("Martin", "3A")]
    assert report["held_count"] == 1
    # WHEN the manager chooses « Ne pas suspendre »
    answer = page.post("/api/imports/impa1/held", {"decision": "keep"})
    assert answer.status == 200
    assert answer.json() == {"import_id": "impa1", "decision": "keep", "suspended": 0}
    after = page.get("/api/imports/impa1/report").json()
    assert (after["held"], after["held_count"], after["held_decision"]) == ([], 0, "keep")
    record = web.imports.get("impa1")
    assert record is not None
    assert record.held == []
    assert record.held_decision is HeldDecision.KEEP
    [kept] = [account for account in web.platform.accounts(SCHOOL_A) if account.account_id == "acc-1"]
    assert kept.status is AccountStatus.ACTIVE
    assert page.post("/api/imports/impa1/held", {"decision": "suspend"}).json()["code"] == "nothing_held"


def test_held_suspend_applies_through_the_approve_use_case(web: WebApi) -> None:
    web.platform.write_accounts(SCHOOL_A, [_existing("acc-1"), _existing("acc-2")])
    web.completed_import(SCHOOL_A, "impa1", held=["acc-1", "acc-2"])
    page = web.page()
    page.log_in(SCHOOL_A)
    answer = page.post("/api/imports/impa1/held", {"decision": "suspend"})
    assert answer.json() == {"import_id": "impa1", "decision": "suspend", "suspended": 2}
    # (suspended and let go by the school: found platform-wide, no longer among the school's accounts)
    held = web.platform.find_accounts(["user.acc-1", "user.acc-2"])
    assert {account.status for account in held} == {AccountStatus.SUSPENDED}
    record = web.imports.get("impa1")
    assert record is not None
    assert record.held_decision is HeldDecision.SUSPEND
    assert record.approved_suspensions == 2
    assert page.get("/api/imports/impa1").json()["held_count"] == 0


def _planned(web: WebApi, uai: str, import_id: str) -> str:
    record = web.completed_import(uai, import_id)
    key = f"imports/{uai}/export-{import_id}.csv"
    web.s3.put_object(Bucket=web.bucket, Key=key, Body=b"Id;Nom\r\n")
    web.imports.save(
        record.model_copy(update={"status": ImportStatus.AWAITING_DECISION, "dry_run": True, "upload_key": key})
    )
    return key


def _with_plan(web: WebApi, uai: str, import_id: str) -> None:
    """The plan.json the report step records for an « Aperçu », and its key on the import record."""
    key = f"reports/{uai}/{import_id}/plan.json"
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    plan = ImportPlan(
        import_id=import_id,
        uai=uai,
        file_name="export.csv",
        format="ent_csv",
        people_count=1,
        planned_at=now,
        decision_deadline=now,
        cohorts=PlannedCohorts(create=["3A"], empty=[]),
        accounts=[
            PlannedAccount(
                outcome=Outcome.UPDATED,
                last_name="Martin",
                first_name="Léa",
                profile=None,
                classes=["3A"],
                line=2,
                changes=[FieldChange(field="cohorts", before="4B", after="3A")],
            )
        ],
        held=[],
        issues=[],
        issues_total=0,
    )
    web.s3.put_object(Bucket=web.bucket, Key=key, Body=plan.model_dump_json().encode())
    record = web.imports.get(import_id)
    assert record is not None
    web.imports.save(record.model_copy(update={"plan_key": key}))


def test_apercu_plan_details_are_served_to_their_school_only(web: WebApi) -> None:
    # GIVEN two schools' « Aperçu » plans
    _planned(web, SCHOOL_A, "plana")
    _with_plan(web, SCHOOL_A, "plana")
    _planned(web, SCHOOL_B, "planb")
    _with_plan(web, SCHOOL_B, "planb")
    page = web.page()
    page.log_in(SCHOOL_A)
    # WHEN school A reads its plan THEN it gets the field-by-field changes
    plan = page.get("/api/imports/plana/plan").json()
    assert plan["cohorts"]["create"] == ["3A"]
    assert plan["accounts"][0]["changes"] == [{"field": "cohorts", "before": "4B", "after": "3A"}]
    # WHEN it forges school B's id THEN the same « introuvable » as an unknown one
    for forged in ("planb", "inconnu"):
        answer = page.get(f"/api/imports/{forged}/plan")
        assert answer.status == 404
        assert answer.json()["code"] == "import_not_found"


def test_apercu_cancel_deletes_the_export_and_another_schools_plan_is_not_found(web: WebApi) -> None:
    mine = _planned(web, SCHOOL_A, "plana")
    theirs = _planned(web, SCHOOL_B, "planb")
    page = web.page()
    page.log_in(SCHOOL_A)
    assert page.get("/api/imports/plana").json()["phase"] == "awaiting_decision"
    # WHEN school A forges school B's plan id THEN not found, and B's export and plan are untouched
    for decision in ("launch", "cancel"):
        forged = page.post(f"/api/imports/planb/{decision}", {})
        assert forged.status == 404
        assert forged.json()["code"] == "import_not_found"
    assert web.s3.head_object(Bucket=web.bucket, Key=theirs)
    assert web.imports.get("planb").status is ImportStatus.AWAITING_DECISION  # type: ignore[union-attr]
    # AND without the CSRF token nothing is decided
    assert page.post("/api/imports/plana/cancel", {}, csrf=False).status == 403
    # WHEN « Annuler » THEN the export is deleted at once and the plan is closed
    answer = page.post("/api/imports/plana/cancel", {})
    assert answer.json() == {"import_id": "plana", "status": "cancelled"}
    assert web.s3.list_objects_v2(Bucket=web.bucket, Prefix=mine).get("KeyCount") == 0
    again = page.post("/api/imports/plana/launch", {})
    assert again.status == 409
    assert again.json()["code"] == "plan_not_awaiting_decision"
