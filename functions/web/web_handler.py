"""The manager's web page (issue 8): pages and JSON API behind the HTTP API (API Gateway HTTP API v2).

Thin: read the cookie and body, call one use case of elea.web, return a typed answer. The session's
UAI scopes every import route; errors are French JSON with a stable code. The event (which holds
passwords and the session cookie) is never logged nor traced.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from pydantic import BaseModel, ValidationError

from elea.auth.api_models import ErrorAnswer
from elea.auth.errors import LoginFailed, PasswordChangeRequired, TooManyAttempts
from elea.auth.login import log_in
from elea.composition.web import web_services
from elea.config.environment import validated_env
from elea.config.web_settings import WebSettings
from elea.errors import EleaError, PlatformError
from elea.logic.approve_held import HoldSuperseded, NothingToApprove
from elea.models.import_record import HeldDecision
from elea.observability import logger, metrics, tracer
from elea.web import imports_view
from elea.web.api_models import (
    EstablishmentAnswer,
    HeldBody,
    LoggedOut,
    PasswordChangeAnswer,
    PlanDecisionAnswer,
    ReportAnswer,
    SessionAnswer,
    SessionBody,
    UploadAnswer,
    UploadBody,
    UploadStateAnswer,
)
from elea.web.errors import (
    CsrfInvalid,
    ImportNotFound,
    InvalidRequest,
    NothingHeld,
    ReportUnavailable,
    SessionExpired,
    UploadNotFound,
)
from elea.web.login_form import (
    LOGIN_COOKIE_NAME,
    LOGIN_COOKIE_SECONDS,
    LOGIN_TOKEN_FIELD,
    MissingCredentials,
    check_login_form,
    login_form,
    login_notice,
    refusal_query,
)
from elea.web.pages import render_page
from elea.web.services import WebServices
from elea.web.session import Session
from elea.web.sessions import COOKIE_NAME, csrf_token
from elea.web.static_files import static_file
from elea.web.uploads import request_upload

app = APIGatewayHttpResolver()

_STATUS: dict[type[EleaError], int] = {
    SessionExpired: 401,
    LoginFailed: 401,
    CsrfInvalid: 403,
    PasswordChangeRequired: 403,
    ImportNotFound: 404,
    UploadNotFound: 404,
    ReportUnavailable: 404,
    NothingHeld: 409,
    NothingToApprove: 409,
    HoldSuperseded: 409,
    TooManyAttempts: 429,
    PlatformError: 503,
}
_PAGES_NEEDING_SESSION = {"accueil", "importer", "import"}


@cache
def _services(settings: WebSettings) -> WebServices:
    return web_services(settings)


def _svc() -> WebServices:
    services: WebServices = app.context["services"]
    return services


def _cookie(wanted: str) -> str | None:
    for cookie in app.current_event.cookies or []:
        name, _, value = cookie.partition("=")
        if name.strip() == wanted:
            return value.strip()
    return None


def _cookie_token() -> str | None:
    return _cookie(COOKIE_NAME)


def _session() -> Session:
    return _svc().sessions.resolve(_cookie_token())


def _session_for_change() -> Session:
    """State-changing requests: a live session and its CSRF token in X-CSRF-Token."""
    session = _session()
    token = _cookie_token() or ""
    _svc().sessions.check_csrf(session, token, app.current_event.headers.get("x-csrf-token"))
    return session


def _body(model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(app.current_event.json_body)
    except (ValidationError, ValueError, TypeError):
        raise InvalidRequest(
            "La demande est incomplète ou mal formée.", hint="Rechargez la page puis recommencez."
        ) from None


def _json(
    status: int,
    answer: BaseModel | list[Any],
    cookies: list[Cookie] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    if isinstance(answer, list):
        body = "[" + ",".join(item.model_dump_json() for item in answer) + "]"
    else:
        body = answer.model_dump_json()
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", **(headers or {})},
        cookies=cookies,
    )


def _strict_cookie(name: str, value: str, max_age: int | None) -> Cookie:
    # __Host-: Secure, Path=/ and no Domain, so no subdomain can set or read it.
    return Cookie(
        name=name,
        value=value,
        path="/",
        secure=True,
        http_only=True,
        same_site=SameSite.STRICT_MODE,
        max_age=max_age,
    )


def _session_cookie(value: str, *, clear: bool = False) -> Cookie:
    return _strict_cookie(COOKIE_NAME, value, 0 if clear else None)


def _login_cookie(value: str, *, clear: bool = False) -> Cookie:
    # The login form's pre-session cookie (elea.web.login_form): an hour at most.
    return _strict_cookie(LOGIN_COOKIE_NAME, value, 0 if clear else LOGIN_COOKIE_SECONDS)


def _see_other(location: str, cookies: list[Cookie] | None = None) -> Response[str]:
    return Response(status_code=303, headers={"Location": location, "Cache-Control": "no-store"}, cookies=cookies)


def _form() -> dict[str, str]:
    """An application/x-www-form-urlencoded body (API Gateway may base64 it), first value of each field."""
    event = app.current_event
    kind = (event.headers.get("content-type") or "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded" or not event.body:
        return {}
    fields = parse_qs(event.decoded_body, keep_blank_values=True, max_num_fields=10)
    return {name: values[0] for name, values in fields.items()}


# --------------------------------------------------------------------------------------------------
# Session
# --------------------------------------------------------------------------------------------------
@app.post("/api/session")
def post_session() -> Response[str]:
    body: SessionBody = _body(SessionBody)
    services = _svc()
    try:
        result = log_in(body.username, body.password, services.auth)
    except PasswordChangeRequired as pending:
        metrics.add_metric(name="WebLoginPending", unit=MetricUnit.Count, value=1)
        answer = PasswordChangeAnswer(
            code=pending.code,
            message=pending.message,
            hint=pending.hint,
            activation_url=services.auth.academy.activation_page_url,
        )
        return _json(403, answer)
    opened = services.sessions.open(result.uai)
    metrics.add_metric(name="WebSessionOpened", unit=MetricUnit.Count, value=1)
    return _json(200, SessionAnswer(csrf_token=opened.csrf_token, uai=result.uai), [_session_cookie(opened.token)])


@app.post("/connexion")
def post_connexion() -> Response[str]:
    """The login form without JavaScript: the same login use case and rate limit as /api/session, then
    a redirect (the page's script, when it runs, posts to /api/session instead)."""
    services = _svc()
    try:
        fields = _form()
    except ValueError:  # more fields than a login form has
        fields = {}
    try:
        check_login_form(_cookie(LOGIN_COOKIE_NAME), fields.get(LOGIN_TOKEN_FIELD))
        username, password = fields.get("username", "").strip(), fields.get("password", "")
        if not username or not password:
            raise MissingCredentials()
        result = log_in(username, password, services.auth)
    except EleaError as refused:
        if isinstance(refused, PlatformError):
            logger.error("web storage failure", extra={"code": refused.code})
        metrics.add_metric(name="WebLoginFormRefused", unit=MetricUnit.Count, value=1)
        return _see_other(f"/connexion?{refusal_query(refused)}")
    opened = services.sessions.open(result.uai)
    metrics.add_metric(name="WebSessionOpened", unit=MetricUnit.Count, value=1)
    return _see_other("/accueil", [_session_cookie(opened.token), _login_cookie("", clear=True)])


@app.post("/api/session/logout")
def post_logout() -> Response[str]:
    _session_for_change()
    _svc().sessions.close(_cookie_token())
    return _json(200, LoggedOut(), [_session_cookie("", clear=True)])


# --------------------------------------------------------------------------------------------------
# JSON API, scoped by the session's UAI
# --------------------------------------------------------------------------------------------------
@app.get("/api/establishment")
def get_establishment() -> Response[str]:
    session = _session()
    services = _svc()
    establishment = services.auth.establishments.get(session.uai)
    return _json(
        200,
        EstablishmentAnswer(
            uai=session.uai,
            name=None if establishment is None else establishment.name,
            platform_url=None if establishment is None else services.auth.academy.platform_url(establishment),
            dry_run_default=False if establishment is None else establishment.dry_run_default,
        ),
    )


@app.get("/api/imports")
def get_imports() -> Response[str]:
    return _json(200, imports_view.history(_session(), _svc()))


@app.post("/api/uploads")
def post_upload() -> Response[str]:
    session = _session_for_change()
    body: UploadBody = _body(UploadBody)
    ticket = request_upload(session, body.file_name, body.size, body.dry_run, _svc())
    metrics.add_metric(name="WebUploadSigned", unit=MetricUnit.Count, value=1)
    return _json(200, UploadAnswer.of(ticket.upload_id, ticket.form))


@app.get("/api/uploads/<upload_id>")
def get_upload(upload_id: str) -> Response[str]:
    return _json(200, UploadStateAnswer(import_id=imports_view.import_of_upload(_session(), upload_id, _svc())))


@app.get("/api/imports/<import_id>")
def get_import(import_id: str) -> Response[str]:
    return _json(200, imports_view.import_state(_session(), import_id, _svc()))


@app.get("/api/imports/<import_id>/report")
def get_report(import_id: str) -> Response[str]:
    record, report = imports_view.report_json(_session(), import_id, _svc())
    return _json(200, ReportAnswer.of(report, record.held_decision, len(record.held)))


@app.get("/api/imports/<import_id>/plan")
def get_plan(import_id: str) -> Response[str]:
    return _json(200, imports_view.plan_json(_session(), import_id, _svc()))


@app.get("/api/imports/<import_id>/report.csv")
def get_report_csv(import_id: str) -> Response[str]:
    name, body = imports_view.report_csv(_session(), import_id, _svc())
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=body.decode("utf-8"),
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@app.post("/api/imports/<import_id>/held")
def post_held(import_id: str) -> Response[str]:
    session = _session_for_change()
    body: HeldBody = _body(HeldBody)
    answer = imports_view.decide_held(session, import_id, HeldDecision(body.decision), _svc())
    metrics.add_metric(name=f"WebHeld{answer.decision.value.title()}", unit=MetricUnit.Count, value=1)
    return _json(200, answer)


@app.post("/api/imports/<import_id>/launch")
def post_launch(import_id: str) -> Response[str]:
    record = imports_view.decide_plan(_session_for_change(), import_id, True, _svc())
    metrics.add_metric(name="WebPlanLaunched", unit=MetricUnit.Count, value=1)
    return _json(200, PlanDecisionAnswer(import_id=record.import_id, status=record.status.value))


@app.post("/api/imports/<import_id>/cancel")
def post_cancel(import_id: str) -> Response[str]:
    record = imports_view.decide_plan(_session_for_change(), import_id, False, _svc())
    metrics.add_metric(name="WebPlanCancelled", unit=MetricUnit.Count, value=1)
    return _json(200, PlanDecisionAnswer(import_id=record.import_id, status=record.status.value))


# --------------------------------------------------------------------------------------------------
# Pages and static files
# --------------------------------------------------------------------------------------------------
def _page(page: str, cookies: list[Cookie] | None = None, **context: Any) -> Response[str]:
    services = _svc()
    page_context: dict[str, Any] = {"csrf_token": "", "uai": "", "establishment_name": "", "platform_url": ""}
    if page in _PAGES_NEEDING_SESSION:
        try:
            session = _session()
        except SessionExpired:
            return Response(status_code=303, headers={"Location": "/connexion", "Cache-Control": "no-store"})
        establishment = services.auth.establishments.get(session.uai)
        page_context |= {
            "csrf_token": csrf_token(_cookie_token() or ""),
            "uai": session.uai,
            "establishment_name": "" if establishment is None else establishment.name,
            "platform_url": "" if establishment is None else services.auth.academy.platform_url(establishment),
        }
    status, html, headers = render_page(page, page_context | context, services.upload_origins)
    return Response(
        status_code=status, content_type="text/html; charset=utf-8", body=html, headers=headers, cookies=cookies
    )


@app.get("/connexion")
def get_connexion() -> Response[str]:
    form = login_form(_cookie(LOGIN_COOKIE_NAME))
    query = app.current_event.query_string_parameters or {}
    return _page(
        "connexion",
        # Set again on each load: an hour from the last time the page was shown.
        cookies=[_login_cookie(form.cookie)],
        login_token=form.field,
        notice=login_notice(query, activation_url=_svc().auth.academy.activation_page_url),
    )


@app.get("/")
def get_root() -> Response[str]:
    return _page("accueil")


@app.get("/accueil")
def get_accueil() -> Response[str]:
    return _page("accueil")


@app.get("/importer")
def get_importer() -> Response[str]:
    return _page("importer")


@app.get("/imports/<import_id>")
def get_import_page(import_id: str) -> Response[str]:
    # The page itself shows nothing of the import: its script reads the scoped API.
    return _page("import", import_id=import_id if import_id.isalnum() else "")


@app.get("/static/.+")
def get_static() -> Response[Any]:
    found = static_file(app.current_event.path.removeprefix("/static/"))
    if found is None:
        return _json(404, ErrorAnswer(code="not_found", message="Cette adresse n'existe pas."))
    body, kind = found
    text = kind.startswith("text/") or kind in ("image/svg+xml", "application/json")
    content: str | bytes = body.decode("utf-8") if text else body  # bytes go out base64-encoded
    return Response(
        status_code=200,
        content_type=kind,
        body=content,
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


# --------------------------------------------------------------------------------------------------
# The Aperçu's refusals, by code (one error class there).
_STATUS_BY_CODE = {
    "import_not_found": 404,
    "plan_not_awaiting_decision": 409,
    "plan_expired": 410,
    "upload_missing": 410,
}


@app.exception_handler(EleaError)
def on_elea_error(error: EleaError) -> Response[str]:
    status = _STATUS_BY_CODE.get(error.code) or next(
        (code for kind, code in _STATUS.items() if isinstance(error, kind)), 400
    )
    headers: dict[str, str] = {}
    if isinstance(error, TooManyAttempts):
        headers["Retry-After"] = str(error.retry_after_seconds)
    if status >= 500:
        logger.error("web storage failure", extra={"code": error.code})
    metrics.add_metric(name="WebRefused", unit=MetricUnit.Count, value=1)
    return _json(status, ErrorAnswer(code=error.code, message=error.message, hint=error.hint), headers=headers)


@app.not_found
def on_not_found(_: Exception) -> Response[str]:
    return _json(404, ErrorAnswer(code="not_found", message="Cette adresse n'existe pas."))


@validated_env(WebSettings)
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any, *, settings: WebSettings) -> dict[str, Any]:
    app.append_context(services=_services(settings))
    return app.resolve(event, context)
