"""The secrets of an establishment's local management account: hashes only, never a clear value."""

from __future__ import annotations

import hmac
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class ManagerStatus(StrEnum):
    PENDING_ACTIVATION = "pending_activation"
    ACTIVE = "active"


class ManagerCredential(BaseModel):
    model_config = ConfigDict(frozen=True)

    uai: str
    password_hash: str  # argon2id
    status: ManagerStatus
    token_digest: str | None  # SHA-256 of the current activation token; None once used
    token_expires_at: datetime | None
    issued_at: datetime
    mail_sent_at: datetime | None = None  # None: the activation e-mail has not gone out yet
    activated_at: datetime | None = None
    # Login attempts in the current window (see auth.login): counted before the password is checked.
    login_attempts: int = 0
    attempts_since: datetime | None = None

    def accepts_token(self, digest: str, now: datetime) -> bool:
        if self.status is not ManagerStatus.PENDING_ACTIVATION or self.token_digest is None:
            return False
        if self.token_expires_at is None or self.token_expires_at <= now:
            return False
        return hmac.compare_digest(self.token_digest, digest)
