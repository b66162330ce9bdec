"""Password hashing with argon2id (memory-hard). Parameters are injected so tests can run cheaply."""

from __future__ import annotations

import secrets
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from elea.credentials.password_policy import normalised_password


class PasswordHashing:
    """Verification always costs one argon2 computation, whether or not the account exists. Passwords are
    hashed and verified in NFC, so the same password typed on a Mac or on Windows matches."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        # argon2-cffi's defaults are RFC 9106's low-memory profile (argon2id, t=3, m=64 MiB, p=4).
        self._hasher = hasher or PasswordHasher()

    def hash(self, password: str) -> str:
        return self._hasher.hash(normalised_password(password))

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """False on a mismatch; with no stored hash, checks a dummy one so the time spent is the same."""
        normalised = normalised_password(password)
        if self._matches(stored_hash, normalised):
            return True
        # A hash made before passwords were normalised, from a password typed in another form: the time
        # this second check takes depends on what was typed only, never on the account.
        return normalised != password and self._matches(stored_hash, password)

    def _matches(self, stored_hash: str | None, password: str) -> bool:
        try:
            matches = self._hasher.verify(stored_hash or self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        return matches and stored_hash is not None

    def spend_same_work(self, password: str) -> None:
        """One hash whose result is thrown away: failing paths cost what the successful one costs."""
        self._hasher.hash(normalised_password(password))

    @cached_property
    def _dummy_hash(self) -> str:
        # A random secret nobody knows, so no password can ever match it.
        return self._hasher.hash(secrets.token_urlsafe(32))
