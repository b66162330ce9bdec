"""HTTP API of the management accounts: GET/POST /activation and POST /login (API Gateway HTTP API v2).

Thin: parse the body, call one use case, return a typed answer. Errors become French JSON with a
stable code; the event (which holds passwords) is never logged nor traced.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import ValidationError

from elea.auth.activate import activate_account
from elea.auth.activation_page import activation_page
from elea.auth.api_models import ActivationAnswer, ActivationBody, ErrorAnswer, LoginAnswer, LoginBody
from elea.auth.errors import InvalidRequest, LoginFailed, PasswordChangeRequired, TooManyAttempts
from elea.auth.login import log_in
from elea.composition.auth import auth_services
from elea.config.accounts_settings import AuthSettings
from elea.config.environment import validated_env
from elea.credentials.errors import ActivationLinkInvalid, WeakPassword
from elea.errors import EleaError, PlatformError
from elea.observability import logger, metrics, tracer

app = APIGatewayHttpResolver()

# HTTP status per error; anything else an EleaError is a 400.
_STATUS: dict[type[EleaError], int] = {
    LoginFailed: 401,
    PasswordChangeRequired: 403,
    TooManyAttempts: 429,
    PlatformError: 503,
}
_METRIC: dict[type[EleaError], str] = {
    ActivationLinkInvalid: "ActivationRefused",
    WeakPassword: "ActivationWeakPassword",
    LoginFailed: "LoginFailed",
    PasswordChangeRequired: "LoginPasswordChangeRequired",
    TooManyAttempts: "LoginRateLimited",
}


def _body(model: type[ActivationBody] | type[LoginBody]) -> Any:
    try:
        return model.model_validate(app.current_event.json_body)
    except (ValidationError, ValueError, TypeError):
        raise InvalidRequest(
            "La demande est incomplète ou mal formée.",
            hint="Envoyez un objet JSON avec les champs attendus.",
        ) from None


def _json(status: int, answer: ActivationAnswer | LoginAnswer | ErrorAnswer, **headers: str) -> Response[str]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=answer.model_dump_json(),
        headers={"Cache-Control": "no-store", **headers},
    )


@app.get("/activation")
def get_activation_page() -> Response[str]:
    html, headers = activation_page()
    metrics.add_metric(name="ActivationPageServed", unit=MetricUnit.Count, value=1)
    return Response(status_code=200, content_type="text/html; charset=utf-8", body=html, headers=headers)


@app.post("/activation")
def post_activation() -> Response[str]:
    body = _body(ActivationBody)
    result = activate_account(body.token, body.new_password, app.context["services"])
    metrics.add_metric(name="AccountActivated", unit=MetricUnit.Count, value=1)
    return _json(200, ActivationAnswer(uai=result.uai, platform_url=result.platform_url))


@app.post("/login")
def post_login() -> Response[str]:
    body = _body(LoginBody)
    result = log_in(body.uai, body.password, app.context["services"])
    metrics.add_metric(name="LoginSucceeded", unit=MetricUnit.Count, value=1)
    return _json(200, LoginAnswer(uai=result.uai, platform_url=result.platform_url))


@app.exception_handler(EleaError)
def on_elea_error(error: EleaError) -> Response[str]:
    status = next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 400)
    metric = next((name for kind, name in _METRIC.items() if isinstance(error, kind)), None)
    if metric is not None:
        metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)
    headers = {}
    if isinstance(error, TooManyAttempts):
        headers["Retry-After"] = str(error.retry_after_seconds)
    if status >= 500:
        logger.error("auth storage failure", extra={"code": error.code})
    return _json(status, ErrorAnswer(code=error.code, message=error.message, hint=error.hint), **headers)


@app.not_found
def on_not_found(_: Exception) -> Response[str]:
    return _json(404, ErrorAnswer(code="not_found", message="Cette adresse n'existe pas."))


@validated_env(AuthSettings)
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, log_event=False)
@metrics.log_metrics
@tracer.capture_lambda_handler(capture_response=False)
def handler(event: dict[str, Any], context: Any, *, settings: AuthSettings) -> dict[str, Any]:
    app.append_context(services=auth_services(settings))
    return app.resolve(event, context)
