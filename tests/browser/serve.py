"""`elea-import serve` on a free loopback port over a temporary state dir, for one test module."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser.site import PASSWORD, School, Site

SERVE_START_TIMEOUT_S = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _cli() -> str:
    return str(Path(sys.executable).with_name("elea-import"))


@contextmanager
def serve(
    state_dir: Path, schools: list[School], parameters: dict[str, str] | None = None, *, pending: tuple[str, ...] = ()
) -> Iterator[Site]:
    """Registers the schools (their activation e-mails land in state_dir/mail), activates each but those in
    `pending` with its mailed token (`elea-import activate`), then starts serve and waits for the URL it prints;
    stops it at the end of the module."""
    for school in schools:
        subprocess.run(
            [
                _cli(),
                "establishment",
                "add",
                school.uai,
                "--dept",
                "77",
                "--basin",
                "3",
                "--name",
                school.name,
                "--state-dir",
                str(state_dir),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    site = Site(base_url="", state_dir=state_dir, schools={school.uai: school for school in schools}, cli=_cli())
    for school in schools:
        if school.uai not in pending:
            subprocess.run(
                [
                    _cli(),
                    "activate",
                    site.activation_token(school.uai),
                    "--password",
                    PASSWORD,
                    "--state-dir",
                    str(state_dir),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
    port = _free_port()
    command = [_cli(), "serve", "--state-dir", str(state_dir), "--port", str(port)]
    if parameters:
        # The local platform's settings, as `sam deploy --parameter-overrides` gives a deployed one.
        (state_dir / "parameters.json").write_text(json.dumps(parameters), encoding="utf-8")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base_url = f"http://127.0.0.1:{port}"
    lines: list[str] = []
    ready = threading.Event()
    listening = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if base_url in line:
                listening.set()
                ready.set()
        ready.set()  # serve ended before printing its URL

    threading.Thread(target=read, daemon=True).start()
    ready.wait(SERVE_START_TIMEOUT_S)
    if not listening.is_set():
        process.kill()
        raise RuntimeError("elea-import serve n'a pas démarré :\n" + "".join(lines))
    try:
        site.base_url = base_url
        site.log = lines
        yield site
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
