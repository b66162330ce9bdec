"""Where local-account secrets are kept: argon2id hashes and activation-token digests, never clear values."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from elea.credentials.manager_credential import ManagerCredential


class CredentialStore(Protocol):
    """Adapters raise elea.errors.PlatformError on storage failures."""

    def manager(self, uai: str) -> ManagerCredential | None: ...

    def manager_by_token(self, token_digest: str) -> ManagerCredential | None:
        """The credential whose current token has this digest, or None (unknown, used or replaced)."""
        ...

    def save_issued(self, credential: ManagerCredential, *, replaced_token_digest: str | None) -> None:
        """Stores a freshly issued credential; the replaced token stops working at once."""
        ...

    def mark_mail_sent(self, uai: str, *, token_digest: str, at: datetime) -> None: ...

    def activate(self, uai: str, *, token_digest: str, password_hash: str, at: datetime) -> bool:
        """Sets the new password and consumes the token, atomically and only if the token is still the
        current one and the account still pending. False when it is not (used or replaced meanwhile)."""
        ...

    def reserve_login_attempt(self, uai: str, *, at: datetime, window: timedelta, limit: int) -> bool:
        """Counts one attempt in the current window, atomically. False (nothing counted) when `limit`
        attempts were already made in the window: the caller must refuse without checking the password."""
        ...

    def clear_login_attempts(self, uai: str) -> None: ...
