"""A minimal in-memory Platform for the registry's tests (accounts only, keyed by UAI and username)."""

from __future__ import annotations

from collections.abc import Sequence

from elea.ports.platform import Account, Cohort


class SimplePlatform:
    def __init__(self) -> None:
        self.accounts_by_uai: dict[str, dict[str, Account]] = {}
        self.writes = 0

    def accounts(self, uai: str) -> list[Account]:
        return list(self.accounts_by_uai.get(uai, {}).values())

    def write_accounts(self, uai: str, accounts: Sequence[Account]) -> None:
        self.writes += 1
        for account in accounts:
            self.accounts_by_uai.setdefault(uai, {})[account.username] = account

    def cohorts(self, uai: str) -> list[Cohort]:
        return []

    def create_cohorts(self, uai: str, cohorts: Sequence[Cohort]) -> None:
        return None

    def taken_usernames(self, candidates: Sequence[str]) -> set[str]:
        taken = {a.username for accounts in self.accounts_by_uai.values() for a in accounts.values()}
        return taken & set(candidates)
