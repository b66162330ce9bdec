"""Where the web page's sessions live (a DynamoDB table with TTL in AWS, a dict in tests).

Only the SHA-256 digest of a session token is ever stored: a copy of the table opens no session."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from elea.web.session import Session


class SessionStore(Protocol):
    """Adapters raise elea.errors.PlatformError on storage failures."""

    def put(self, session: Session) -> None: ...

    def get(self, token_digest: str) -> Session | None: ...

    def touch(self, token_digest: str, at: datetime, expires_at: datetime) -> None:
        """Moves the idle expiry forward (the session was used)."""
        ...

    def delete(self, token_digest: str) -> None:
        """Ends the session; a missing one is not an error."""
        ...
