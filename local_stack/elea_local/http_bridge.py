"""A stdlib HTTP server on 127.0.0.1 that hands each request to a Lambda handler as API Gateway's HTTP
API (payload 2.0) would, and writes its answer back: `elea-import serve`'s front door."""

from __future__ import annotations

import base64
import json
import logging
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from elea_local.lambdas import Handler, LocalLambdaContext
from elea_local.loopback_server import LoopbackServer

logger = logging.getLogger(__name__)

# API Gateway refuses bodies above 10 MB; the page's JSON bodies are tiny (the file goes to S3).
MAX_BODY = 1024 * 1024


def v2_event(method: str, target: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    parts = urlsplit(target)
    now = datetime.now(UTC)
    lowered = {name.lower(): value for name, value in headers.items()}
    cookies = [part.strip() for part in lowered.pop("cookie", "").split(";") if part.strip()]
    path = unquote(parts.path) or "/"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": parts.path or "/",
        "rawQueryString": parts.query,
        "headers": lowered,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": lowered.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": lowered.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if parts.query:
        event["queryStringParameters"] = {
            name: value for name, _, value in (item.partition("=") for item in parts.query.split("&") if item)
        }
    if body:
        try:
            event["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            event["body"] = base64.b64encode(body).decode("ascii")
            event["isBase64Encoded"] = True
    return event


def _handler_class(handler: Handler) -> type[BaseHTTPRequestHandler]:
    # One Lambda instance handles one event at a time; the handler keeps per-request state in its resolver
    # (app.context), so the threaded server must not run two events in it at once (the page loads in parallel).
    one_at_a_time = threading.Lock()

    class Bridge(BaseHTTPRequestHandler):
        server_version = "elea-import-serve"
        sys_version = ""

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._write(413, {"Content-Type": "text/plain"}, [], b"Request Entity Too Large")
                return
            body = self.rfile.read(length) if length else b""
            event = v2_event(self.command, self.path, dict(self.headers.items()), body)
            context = LocalLambdaContext(function_name="local-http-api", invoked_function_arn="local:http-api")
            try:
                with one_at_a_time:
                    answer = json.loads(json.dumps(handler(event, context)))
            except Exception:  # what API Gateway answers when the function fails; the log has the trace
                logger.exception("web function failed")
                self._write(502, {"Content-Type": "text/plain; charset=utf-8"}, [], b"Erreur interne.")
                return
            payload = answer.get("body") or ""
            data = base64.b64decode(payload) if answer.get("isBase64Encoded") else str(payload).encode("utf-8")
            self._write(
                int(answer.get("statusCode", 500)), dict(answer.get("headers") or {}), answer.get("cookies") or [], data
            )

        def _write(self, status: int, headers: dict[str, str], cookies: list[str], data: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in ("content-length", "connection"):
                    self.send_header(name, value)
            for cookie in cookies:
                self.send_header("Set-Cookie", cookie)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    # The page left (a poll cut short by navigation): nobody is there to read the answer.
                    self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """No access log on the terminal: paths hold import ids, the log file has the handler's own lines."""

    return Bridge


class LambdaHttpServer(LoopbackServer):
    """`handler` plays the HTTP API: it gets the v2 event and calls the function the route names."""

    def __init__(self, handler: Handler, *, port: int) -> None:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler_class(handler))
        server.daemon_threads = True
        super().__init__(server, name="elea-serve")
