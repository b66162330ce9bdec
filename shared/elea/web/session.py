"""One manager's session on the web page, as stored: the token's digest, never the token."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Session(BaseModel):
    model_config = ConfigDict(frozen=True)

    token_digest: str
    uai: str
    created_at: datetime
    last_seen: datetime
    # Idle expiry: last_seen + the idle time; also the table's TTL, so DynamoDB forgets it later.
    expires_at: datetime
    csrf_digest: str
