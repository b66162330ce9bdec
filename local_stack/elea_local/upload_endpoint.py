"""The local endpoint of the web page's presigned POST: moto's S3 server on loopback, behind a check of
the form's policy (moto accepts any form) and a notice of each object created under imports/ (what
EventBridge does in AWS: the local stack then runs the chain)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.formparser import parse_form_data
from werkzeug.serving import BaseWSGIServer, make_server

from elea_local.loopback_server import LoopbackServer
from elea_local.moto_seam import MOTO_LOCK
from elea_local.post_policy import PostRefused, check_post

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
OnCreated = Callable[[str, str], None]  # (bucket, key)
# Room for the form's fields around the file itself.
_FORM_OVERHEAD = 64 * 1024


class PolicyCheckingApp:
    """WSGI middleware: POST /{bucket} (a browser form) is checked as S3 would before moto sees it."""

    def __init__(self, moto_app: Wsgi, *, secret: Callable[[], str], max_bytes: int, on_created: OnCreated) -> None:
        self._moto = moto_app
        self._secret = secret
        self._max_bytes = max_bytes
        self._on_created = on_created

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        bucket = path.strip("/")
        is_form = environ.get("REQUEST_METHOD") == "POST" and "multipart/form-data" in str(
            environ.get("CONTENT_TYPE", "")
        )
        if not is_form or not bucket or "/" in bucket:
            return self._serialized(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > self._max_bytes + _FORM_OVERHEAD:
            return _error(start_response, PostRefused(400, "EntityTooLarge", "the body is larger than allowed"))
        body = environ["wsgi.input"].read(length)
        probe = {**environ, "wsgi.input": io.BytesIO(body)}
        _, form, files = parse_form_data(probe)
        upload = files.get("file")
        if upload is None:
            return _error(start_response, PostRefused(400, "InvalidArgument", "no file in the form"))
        size = len(upload.read())
        fields = {name: str(value) for name, value in form.items()}
        try:
            posted = check_post(bucket, fields, size, secret=self._secret())
        except PostRefused as refusal:
            return _error(start_response, refusal)
        environ["wsgi.input"] = io.BytesIO(body)
        status: list[str] = []

        def capture(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status.append(status_line)
            return start_response(status_line, headers, exc_info) if exc_info else start_response(status_line, headers)

        answer = self._serialized(environ, capture)
        if status and status[0][:1] == "2" and posted.key.startswith("imports/"):
            self._on_created(bucket, posted.key)
        return answer

    def _serialized(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        # The same backends as the in-process calls: one request at a time (moto_seam, seam 5).
        with MOTO_LOCK:
            return list(self._moto(environ, start_response))


def _error(start_response: Callable[..., Any], refusal: PostRefused) -> list[bytes]:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{escape(refusal.code)}</Code>'
        f"<Message>{escape(refusal.message)}</Message></Error>"
    ).encode()
    reason = {400: "Bad Request", 403: "Forbidden"}.get(refusal.status, "Error")
    start_response(
        f"{refusal.status} {reason}",
        [("Content-Type", "application/xml"), ("Content-Length", str(len(body))), ("Access-Control-Allow-Origin", "*")],
    )
    return [body]


class UploadEndpoint(LoopbackServer):
    """moto's server (the whole of S3, on 127.0.0.1) in a thread, with the policy check in front."""

    def __init__(self, *, secret: Callable[[], str], max_bytes: int, on_created: OnCreated, port: int = 0) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

        app = PolicyCheckingApp(
            DomainDispatcherApplication(create_backend_app), secret=secret, max_bytes=max_bytes, on_created=on_created
        )
        server: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)
        super().__init__(server, name="elea-upload-endpoint")
