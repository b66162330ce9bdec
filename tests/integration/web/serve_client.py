"""A small client of `elea-import serve` for tests: it keeps the session cookie itself, as a browser
does on http://127.0.0.1 (requests' jar never sends a Secure cookie over http)."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from elea_cli.main import main

COOKIE = "__Host-elea_session"
GOOD_PASSWORD = "Nouveau-Mot2passe"


def mail_text(eml: Path) -> str:
    parsed = email.message_from_bytes(eml.read_bytes())
    part = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]


def register(state: Path, uai: str, name: str = "Collège Jean Moulin") -> tuple[Path, str]:
    """`establishment add`; returns the activation e-mail and its token."""
    assert (
        main(["establishment", "add", uai, "--dept", "77", "--basin", "3", "--name", name, "--state-dir", str(state)])
        == 0
    )
    eml = sorted((state / "mail").glob(f"*-activation-{uai}.eml"))[-1]
    token = re.search(r"#token=([\w-]+)", mail_text(eml))
    assert token
    return eml, token.group(1)


@dataclass
class PageClient:
    base: str
    cookie: str | None = None
    csrf: str | None = None
    http: requests.Session = field(default_factory=requests.Session)

    def _headers(self, csrf: bool) -> dict[str, str]:
        headers = {}
        if self.cookie:
            headers["Cookie"] = f"{COOKIE}={self.cookie}"
        if csrf and self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        return headers

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, headers=self._headers(False), allow_redirects=False, timeout=30)

    def post(self, path: str, body: dict[str, Any] | None = None, *, csrf: bool = True) -> requests.Response:
        return self.http.post(self.base + path, json=body or {}, headers=self._headers(csrf), timeout=30)

    def log_in(self, uai: str, password: str = GOOD_PASSWORD) -> requests.Response:
        answer = self.post("/api/session", {"username": uai, "password": password}, csrf=False)
        if answer.status_code == 200:
            set_cookie = answer.headers["Set-Cookie"]
            found = re.match(rf"{COOKIE}=([^;]+)", set_cookie)
            assert found
            self.cookie = found.group(1)
            self.csrf = answer.json()["csrf_token"]
        return answer
