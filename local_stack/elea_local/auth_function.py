"""Calls the template's AuthFunction handler in-process, with the event API Gateway would send."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from elea_local.cfn_template import local_stack
from elea_local.http_events import http_event
from elea_local.lambdas import LocalLambdaContext, load_handler

FUNCTION = "AuthFunction"


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


def call_auth(method: str, path: str, body: dict[str, Any] | None = None) -> HttpAnswer:
    spec = local_stack().functions[FUNCTION]
    context = LocalLambdaContext(function_name=FUNCTION, invoked_function_arn=spec.arn)
    # Through JSON both ways, as Lambda does.
    answer = json.loads(json.dumps(load_handler(spec)(http_event(method, path, body), context)))
    headers = dict(answer.get("headers") or {})
    text = answer.get("body") or "{}"
    parsed = json.loads(text) if "json" in headers.get("Content-Type", "") else {"html": text}
    return HttpAnswer(status=int(answer["statusCode"]), body=parsed, headers=headers)
