"""Calls the deployed auth function's handler in-process, as API Gateway would."""

from __future__ import annotations

import importlib.util
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from elea_cli.local_accounts.http_events import http_event

HANDLER_PATH = Path(__file__).resolve().parents[3] / "functions" / "auth" / "auth_handler.py"


@dataclass(frozen=True)
class _Context:
    """What Powertools reads from a Lambda context."""

    function_name: str = "AuthFunction"
    invoked_function_arn: str = "arn:aws:lambda:eu-west-3:123456789012:function:AuthFunction"
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


@cache
def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("elea_auth_handler", HANDLER_PATH)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"auth handler not found at {HANDLER_PATH}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def call_auth(method: str, path: str, body: dict[str, Any] | None = None) -> HttpAnswer:
    answer = _module().handler(http_event(method, path, body), _Context())
    text = answer.get("body") or "{}"
    parsed = json.loads(text) if "json" in answer.get("headers", {}).get("Content-Type", "") else {"html": text}
    return HttpAnswer(status=int(answer["statusCode"]), body=parsed, headers=dict(answer.get("headers", {})))
