"""The template's functions, run in-process: moto's Lambda would need Docker to run them."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from botocore.exceptions import ClientError

from elea_local.cfn_template import FunctionSpec, LocalStackSpec

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass(frozen=True)
class LocalLambdaContext:
    """The attributes of a Lambda context that Powertools reads."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 1024
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = ""

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


@dataclass(frozen=True)
class Invocation:
    function: str  # the template's logical id, e.g. "UsersFunction"
    payload: dict[str, Any]


@dataclass(frozen=True)
class InvocationRecord:
    function: str
    error_type: str | None
    error_message: str | None = None
    # Local diagnostics only (the run log), never shown to a manager.
    traceback: str | None = None


# Decides what an invocation returns; `proceed` runs the handler. Tests use it to inject faults.
Interceptor = Callable[[Invocation, Callable[[], dict[str, Any]]], dict[str, Any]]


def call_through(invocation: Invocation, proceed: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    return proceed()


def lambda_service_exception(message: str = "Injected Lambda service error") -> ClientError:
    """What Step Functions reports as Lambda.ServiceException (the invoke itself failed)."""
    response: Any = {
        "Error": {"Code": "ServiceException", "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": 500, "RequestId": str(uuid.uuid4())},
    }
    return ClientError(response, "Invoke")


_load_lock = threading.Lock()


def load_handler(spec: FunctionSpec) -> Handler:
    """Imports functions/<dir>/<module>.py by path, as the Lambda runtime does from the code dir.
    Module names are unique across functions, so they can share one process."""
    with _load_lock:
        module = sys.modules.get(spec.module)
        path = spec.code_dir / f"{spec.module}.py"
        if module is None or getattr(module, "__file__", None) != str(path):
            module = _import_by_path(spec.module, path)
    handler: Handler = getattr(module, spec.attribute)
    return handler


def _import_by_path(name: str, path: Any) -> ModuleType:
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot load handler module {path}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    module_spec.loader.exec_module(module)
    return module


class InProcessLambdas:
    """Answers moto's Lambda invokes by calling the handlers, with Lambda's response shapes."""

    def __init__(
        self,
        stack: LocalStackSpec,
        *,
        interceptor: Interceptor = call_through,
        on_result: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        self._specs = stack.function_by_arn()
        self._handlers = {arn: load_handler(spec) for arn, spec in self._specs.items()}
        self._interceptor = interceptor
        self._on_result = on_result
        self._lock = threading.Lock()
        self.records: list[InvocationRecord] = []

    def invoke(self, parameters: dict[str, Any]) -> dict[str, Any]:
        arn = str(parameters["FunctionName"])
        spec = self._specs.get(arn)
        if spec is None:
            response: Any = {
                "Error": {"Code": "ResourceNotFoundException", "Message": f"Function not found: {arn}"},
                "ResponseMetadata": {"HTTPStatusCode": 404, "RequestId": str(uuid.uuid4())},
            }
            raise ClientError(response, "Invoke")
        raw = parameters.get("Payload") or b"{}"
        payload = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
        invocation = Invocation(function=spec.logical_id, payload=payload)
        return self._interceptor(invocation, lambda: self._run(spec, arn, payload))

    def _run(self, spec: FunctionSpec, arn: str, payload: dict[str, Any]) -> dict[str, Any]:
        context = LocalLambdaContext(function_name=spec.logical_id, invoked_function_arn=arn)
        try:
            result = self._handlers[arn](payload, context)
        except Exception as error:
            # What the Lambda runtime returns for an unhandled error: Step Functions matches
            # Retry and Catch on errorType (e.g. PlatformError, ConcurrentChange).
            self._record(InvocationRecord(spec.logical_id, type(error).__name__, str(error), traceback.format_exc()))
            return {
                "StatusCode": 200,
                "FunctionError": "Unhandled",
                "ExecutedVersion": "$LATEST",
                "Payload": {"errorType": type(error).__name__, "errorMessage": str(error)},
            }
        self._record(InvocationRecord(spec.logical_id, None))
        # Through JSON, as over the wire: a handler returning something not serialisable fails here.
        answer = json.loads(json.dumps(result))
        if self._on_result is not None:
            self._on_result(spec.logical_id, answer)
        return {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": answer}

    def _record(self, record: InvocationRecord) -> None:
        with self._lock:
            self.records.append(record)
