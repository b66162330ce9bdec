"""`elea-import serve`: the manager's web page on 127.0.0.1, over the same local stack as `run` and
`approve` (one state dir, the template's resources on moto, the in-process handlers).

- the page and its API: the template's WebFunction handler behind a stdlib HTTP server (http_bridge);
- the presigned POST's endpoint: moto's S3 server on another loopback port, behind the policy check S3
  does and moto does not (upload_endpoint);
- an object created under imports/ starts the chain, as the EventBridge rule does in AWS; at the end of
  each import the platform is saved, and the e-mails and reports written into the state dir;
- the template's scheduled functions run on timer threads (schedules): the sweep deletes the export of an
  « Aperçu » nobody decided on once its deadline (PlanDecisionMinutes) passed, as it does in AWS.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from elea_local.http_bridge import LambdaHttpServer
from elea_local.lambdas import load_handler
from elea_local.runner import LOCAL_SERVE_PORT, LocalChain
from elea_local.schedules import OnRun, ScheduledRunner

UPLOAD_ENDPOINT_VARIABLE = "UPLOAD_ENDPOINT_URL"


@dataclass
class ServeResult:
    """What the served session did, for the command's last words and for tests."""

    url: str = ""
    upload_url: str = ""
    finished: list[str] = field(default_factory=list)  # final execution statuses, in order
    mails: list[Path] = field(default_factory=list)


class LocalServer:
    def __init__(
        self,
        state_dir: Path,
        *,
        port: int = LOCAL_SERVE_PORT,
        schedule_every_seconds: float | None = None,
        on_scheduled_run: OnRun | None = None,
    ) -> None:
        """`schedule_every_seconds`: the scheduled functions' period (tests); the template's rate otherwise."""
        # Bound first: the activation links the served stack e-mails name this very port.
        self._http = LambdaHttpServer(self._handle, port=port)
        self.url = self._http.url
        self._chain = LocalChain(state_dir, parameter_overrides={"ActivationPageUrl": f"{self.url}/activation"})
        self._handlers: dict[str, Callable[[dict[str, Any], Any], dict[str, Any]]] = {}
        self._save_lock = threading.Lock()
        self._workers: list[threading.Thread] = []
        self.result = ServeResult(url=self.url)
        # Set by tests (and the command's output) when an import ends: (execution status).
        self.on_finished: Callable[[str], None] | None = None
        self._schedules = [
            ScheduledRunner(
                schedule,
                self._chain.stack.functions[schedule.function],
                every_seconds=schedule_every_seconds,
                on_run=on_scheduled_run,
            )
            for schedule in self._chain.stack.schedules
        ]

    def _handle(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        """The HTTP API: the template's routes choose the function (/activation is AuthFunction's)."""
        http = event["requestContext"]["http"]
        function = self._chain.stack.route(http["method"], http["path"])
        handler = self._handlers.get(function or "")
        if handler is None:
            body = '{"code": "not_found", "message": "Cette adresse n\'existe pas."}'
            return {"statusCode": 404, "headers": {"Content-Type": "application/json"}, "body": body}
        return handler(event, context)

    @contextmanager
    def running(self) -> Iterator[ServeResult]:
        """Serves until the block ends; then stops both servers, waits for imports under way and saves."""
        import os

        from elea_local.upload_endpoint import UploadEndpoint

        with self._chain.session() as aws:

            def secret() -> str:
                credentials = boto3.session.Session().get_credentials()
                return "" if credentials is None else credentials.secret_key

            def on_created(bucket: str, key: str) -> None:
                worker = threading.Thread(target=self._run_import, args=(aws, key), name="elea-import", daemon=True)
                self._workers.append(worker)
                worker.start()

            endpoint = UploadEndpoint(
                secret=secret,
                max_bytes=int(self._chain.stack.environment()["MAX_UPLOAD_BYTES"]),
                on_created=on_created,
            )
            endpoint.start()
            # « Lancer l'importation » rewrites the export onto itself (CopyObject, in-process): in AWS that
            # is an "Object Created" event too.
            copies = ExitStack()
            copies.enter_context(_noticing_copies(on_created))
            os.environ[UPLOAD_ENDPOINT_VARIABLE] = endpoint.url
            self.result.upload_url = endpoint.url
            self._handlers = {
                route.function: load_handler(self._chain.stack.functions[route.function])
                for route in self._chain.stack.http_routes
            }
            self._http.start()
            for runner in self._schedules:
                runner.start()
            try:
                yield self.result
            finally:
                self._http.stop()
                endpoint.stop()
                copies.close()
                for worker in list(self._workers):
                    worker.join()
                # After the imports: a plan one of them just recorded is not swept half-way at exit.
                for runner in self._schedules:
                    runner.stop()
                os.environ.pop(UPLOAD_ENDPOINT_VARIABLE, None)
        self.result.mails = list(aws.mails)

    def _run_import(self, aws: Any, key: str) -> None:
        arn = self._chain.start_uploaded(aws, key)
        with self._save_lock:
            status = self._chain.finish_started(aws, arn)
        self.result.finished.append(status)
        if self.on_finished is not None:
            self.on_finished(status)


@contextmanager
def _noticing_copies(on_created: Callable[[str, str], None]) -> Iterator[None]:
    """Calls on_created(bucket, key) after moto's S3 copies an object onto a key under imports/."""
    from moto.s3.models import S3Backend

    original = S3Backend.copy_object

    def copy_object(self: Any, src_key: Any, dest_bucket_name: str, dest_key_name: str, *args: Any, **kw: Any) -> Any:
        result = original(self, src_key, dest_bucket_name, dest_key_name, *args, **kw)
        if dest_key_name.startswith("imports/"):
            on_created(dest_bucket_name, dest_key_name)
        return result

    S3Backend.copy_object = copy_object  # type: ignore[method-assign]
    try:
        yield
    finally:
        S3Backend.copy_object = original  # type: ignore[method-assign]
