"""The fake Moodle's HTTP side: a real server on 127.0.0.1 (random port, a thread), and the test-facing API to
seed and inspect its state, count calls per function and inject failures (HTTP 500, a dropped connection,
a hang past the client's timeout, the whole site down)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from tests.fakes.fake_moodle.form import as_list, read_form
from tests.fakes.fake_moodle.functions import FUNCTIONS, MoodleException
from tests.fakes.fake_moodle.state import Caller, FakeCohort, FakeUser, fresh_install

Failure = Literal["http_500", "http_503", "drop", "hang", "lost_answer"]
READ_FUNCTIONS = frozenset(
    {
        "core_webservice_get_site_info",
        "core_user_get_users_by_field",
        "core_cohort_get_cohorts",
        "core_cohort_search_cohorts",
        "core_cohort_get_cohort_members",
    }
)


@dataclass
class _Injected:
    kind: Failure
    function: str | None
    remaining: int


class FakeMoodle:
    """One fake site, started on a free loopback port (`url`); `stop()` at the end (the fixture does it).

    Tokens: `token` (the integration account, the peer's wsimport with its elea_ws role; `rotate_token()`
    replaces it), `token_nocap` (only
    webservice/rest:use: lookups answer [], the rest nopermissions), `admin_token` (a site admin),
    `token_with(capabilities)` (any role). Service: `remove_function(name)`. Settings:
    `set_allow_accounts_same_email(bool)`, `state.max_input_vars`.
    Seeding and inspection: `add_user`, `add_cohort(idnumber, name, members=...)`, `user(username)`,
    `cohort(idnumber)`, `member_usernames(idnumber)`, `state` (everything). Calls: `calls` (a Counter per
    function), `users_asked` (the values core_user_get_users_by_field was asked for, every call together),
    `write_calls()`, `reset_calls()`, `largest_post_vars`.
    Failures: `fail_next(n, kind="http_500" | "http_503" | "drop" | "hang" | "lost_answer", function=None)` (a
    hang outlasts the client's timeout; a lost answer is a call Moodle carried out whose answer never came
    back: a 503 after the work), `go_down()` / `come_back()` (connections refused, kept-alive ones closed)."""

    def __init__(self, *, hang_seconds: float = 2.0) -> None:
        self.state, tokens = fresh_install()
        self.token, self.token_nocap, self.admin_token = tokens["integration"], tokens["nocap"], tokens["admin"]
        self.calls: Counter[str] = Counter()
        self.users_asked = 0
        self.largest_post_vars = 0  # the most form variables any call sent (PHP cuts past max_input_vars + 1)
        self.hang_seconds = hang_seconds
        self._lock = threading.Lock()
        self._injected: list[_Injected] = []
        self._connections: set[socket.socket] = set()
        self._released = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self.start()

    # --- lifecycle ----------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> None:
        self._released.clear()
        server = ThreadingHTTPServer(("127.0.0.1", self._port), _handler_for(self))
        server.daemon_threads = True
        self._port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-moodle", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        # Kept-alive connections too: a site that is down answers nobody, pooled clients included.
        with self._lock:
            connections, self._connections = list(self._connections), set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def _opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def go_down(self) -> None:
        """Nothing listens on the port any more: connections are refused."""
        self.stop()

    def come_back(self) -> None:
        self.start()

    # --- failures -----------------------------------------------------------------------------------------

    def fail_next(self, count: int = 1, *, kind: Failure = "http_500", function: str | None = None) -> None:
        """The next `count` calls (of `function`, or any) fail that way before reaching Moodle's logic (a
        lost answer: after it)."""
        with self._lock:
            self._injected.append(_Injected(kind, function, count))

    def _take_failure(self, function: str) -> Failure | None:
        with self._lock:
            for injected in self._injected:
                if injected.remaining and injected.function in (None, function):
                    injected.remaining -= 1
                    return injected.kind
        return None

    # --- tokens, service and settings --------------------------------------------------------------------

    def token_with(self, capabilities: Iterable[str], *, username: str = "wscustom") -> str:
        with self._lock:
            user = self.state.user_named(username) or self.state.add_user(username, firstname="WS", lastname=username)
            return self.state.new_token(Caller(user.id, frozenset(capabilities)))

    def rotate_token(self) -> str:
        """The admin replaces the integration token (Moodle: delete it, create another): the old one answers
        invalidtoken from now on. Returns the new one, also `token`."""
        with self._lock:
            caller = self.state.tokens.pop(self.token)
            self.token = self.state.new_token(caller)
            return self.token

    def remove_function(self, name: str) -> None:
        with self._lock:
            self.state.functions.discard(name)

    def set_allow_accounts_same_email(self, allowed: bool) -> None:
        with self._lock:
            self.state.allowaccountssameemail = allowed

    # --- seeding and inspection --------------------------------------------------------------------------

    def add_user(self, username: str, **fields: Any) -> int:
        with self._lock:
            return self.state.add_user(username, **fields).id

    def add_cohort(self, idnumber: str, name: str, *, members: Iterable[str] = ()) -> int:
        with self._lock:
            cohort = self.state.add_cohort(idnumber, name)
            for username in members:
                user = self.state.user_named(username)
                assert user is not None, username
                self.state.members[cohort.id].add(user.id)
            return cohort.id

    def user(self, username: str) -> FakeUser | None:
        with self._lock:
            return self.state.user_named(username)

    def cohort(self, idnumber: str) -> FakeCohort | None:
        with self._lock:
            return self.state.cohort_numbered(idnumber)

    def member_usernames(self, idnumber: str) -> set[str]:
        with self._lock:
            cohort = self.state.cohort_numbered(idnumber)
            assert cohort is not None, idnumber
            return {self.state.users[i].username for i in self.state.members[cohort.id]}

    def write_calls(self) -> int:
        return sum(n for name, n in self.calls.items() if name not in READ_FUNCTIONS)

    def reset_calls(self) -> None:
        self.calls.clear()
        self.users_asked = 0

    # --- one request -------------------------------------------------------------------------------------

    def handle(self, body: bytes) -> tuple[int, bytes] | Failure:
        with self._lock:
            max_vars = self.state.max_input_vars
            self.largest_post_vars = max(self.largest_post_vars, body.count(b"&") + 1 if body else 0)
        form = read_form(body, max_vars)
        function = form.get("wsfunction") if isinstance(form.get("wsfunction"), str) else ""
        failure = self._take_failure(str(function))
        if failure is not None and failure != "lost_answer":
            return failure
        with self._lock:
            self.calls[str(function)] += 1
            if function == "core_user_get_users_by_field":
                self.users_asked += len(as_list(form.get("values")) or [])
            try:
                answer = self._dispatch(form, str(function))
            except MoodleException as error:
                answer = error.answer
        if failure == "lost_answer":
            return "http_503"
        return 200, json.dumps(answer).encode() if answer is not None else b"null"

    def _dispatch(self, form: dict[str, Any], function: str) -> Any:
        token = form.get("wstoken")
        caller = self.state.tokens.get(token) if isinstance(token, str) else None
        if caller is None:
            raise MoodleException(
                "core\\exception\\moodle_exception", "invalidtoken", "Invalid token - token not found"
            )
        if function not in self.state.functions:
            raise MoodleException("webservice_access_exception", "accessexception", "Access control exception")
        if function not in FUNCTIONS:  # in the service, but the fake does not play it: say so, loudly
            raise MoodleException("fake_moodle", "notimplementedinfake", f"The fake does not implement {function}")
        params = {k: v for k, v in form.items() if k not in ("wstoken", "wsfunction", "moodlewsrestformat")}
        return FUNCTIONS[function](self.state, caller, params, self.url)

    def wait_released(self) -> None:
        self._released.wait(self.hang_seconds)


def _handler_for(fake: FakeMoodle) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            fake._opened(self.connection)

        def finish(self) -> None:
            fake._closed(self.connection)
            with contextlib.suppress(OSError):
                super().finish()

        def do_POST(self) -> None:
            if self.path.split("?")[0] != "/webservice/rest/server.php":
                self._answer(404, b"Not found", "text/plain")
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            outcome = fake.handle(body)
            if outcome in ("http_500", "http_503"):
                self._answer(int(str(outcome)[-3:]), b"<html>Server error</html>", "text/html")
            elif outcome == "drop":
                self.close_connection = True
                self.connection.close()
            elif outcome == "hang":
                fake.wait_released()
                self.close_connection = True
                self.connection.close()
            else:
                status, payload = outcome  # type: ignore[misc]
                self._answer(status, payload, "application/json")

        def _answer(self, status: int, payload: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read calls, not logs
            return

    return Handler
