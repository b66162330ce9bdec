"""An HTTP server on 127.0.0.1 served from a daemon thread: `serve`'s front door and the local upload
endpoint alike are started with the command and stopped with it."""

from __future__ import annotations

import threading
from http.server import HTTPServer


class LoopbackServer:
    def __init__(self, server: HTTPServer, *, name: str) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()
