"""In-memory UserPasswordStore."""

from __future__ import annotations

from collections.abc import Mapping


class InMemoryUserPasswordStore:
    def __init__(self) -> None:
        self.hashes: dict[str, dict[str, str]] = {}

    def usernames_with_password(self, uai: str) -> set[str]:
        return set(self.hashes.get(uai, {}))

    def put_hashes(self, uai: str, hashes: Mapping[str, str]) -> None:
        self.hashes.setdefault(uai, {}).update(hashes)
