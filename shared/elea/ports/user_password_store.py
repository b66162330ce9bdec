"""argon2id hashes of local accounts' passwords (people from SIECLE have no ENT single sign-on)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class UserPasswordStore(Protocol):
    """Adapters raise elea.errors.PlatformError on storage failures."""

    def usernames_with_password(self, uai: str) -> set[str]:
        """Every username of the UAI that already has a password (one per-UAI query)."""
        ...

    def put_hashes(self, uai: str, hashes: Mapping[str, str]) -> None:
        """username → argon2id hash, created or replaced, batched. Idempotent."""
        ...
