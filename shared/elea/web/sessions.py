"""Opening, checking and ending the web page's sessions.

The cookie holds an opaque 256-bit token; the table holds its SHA-256 only. The CSRF token is derived
from the session token (HMAC), so a page can be given it on every load without storing it in clear, and
a cross-site page, which cannot read the HttpOnly cookie, cannot compute it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from elea.ports.session_store import SessionStore
from elea.web.errors import CsrfInvalid, SessionExpired
from elea.web.session import Session

TOKEN_BYTES = 32  # 256 bits
# The token's printed form is 43 characters; anything longer is refused before it is hashed.
TOKEN_MAX_LENGTH = 64
COOKIE_NAME = "__Host-elea_session"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def csrf_token(session_token: str) -> str:
    return hmac.new(session_token.encode("utf-8"), b"elea-csrf", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class OpenedSession:
    token: str  # for the cookie only: never stored, never logged
    csrf_token: str
    session: Session


@dataclass(frozen=True)
class Sessions:
    store: SessionStore
    idle: timedelta
    clock: Callable[[], datetime]

    def open(self, uai: str) -> OpenedSession:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = self.clock()
        csrf = csrf_token(token)
        session = Session(
            token_digest=token_digest(token),
            uai=uai,
            created_at=now,
            last_seen=now,
            expires_at=now + self.idle,
            csrf_digest=token_digest(csrf),
        )
        self.store.put(session)
        return OpenedSession(token=token, csrf_token=csrf, session=session)

    def resolve(self, token: str | None) -> Session:
        """The live session of this cookie value, its idle expiry moved forward; SessionExpired otherwise."""
        if not token or len(token) > TOKEN_MAX_LENGTH:
            raise SessionExpired()
        digest = token_digest(token)
        session = self.store.get(digest)
        now = self.clock()
        # DynamoDB's TTL removes expired items late (up to days): the expiry is checked here.
        if session is None or session.expires_at <= now:
            raise SessionExpired()
        expires_at = now + self.idle
        self.store.touch(digest, now, expires_at)
        return session.model_copy(update={"last_seen": now, "expires_at": expires_at})

    @staticmethod
    def check_csrf(session: Session, token: str, header: str | None) -> None:
        """Every state-changing request carries the page's CSRF token: a missing or wrong one is refused."""
        expected = csrf_token(token)
        if not header or not hmac.compare_digest(header.encode("utf-8"), expected.encode("utf-8")):
            raise CsrfInvalid()
        if not hmac.compare_digest(token_digest(header), session.csrf_digest):
            raise CsrfInvalid()

    def close(self, token: str | None) -> None:
        if token and len(token) <= TOKEN_MAX_LENGTH:
            self.store.delete(token_digest(token))
