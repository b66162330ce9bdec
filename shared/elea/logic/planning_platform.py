"""The one mechanism that makes an « Aperçu » write nothing: the Platform port, wrapped. Reads go to
the real platform; writes are recorded as intended writes and never reach it."""

from __future__ import annotations

from collections.abc import Sequence

from elea.ports.platform import Account, Cohort, Platform


class PlanningPlatform:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform
        self.intended_accounts: list[Account] = []
        self.intended_cohorts: list[Cohort] = []
        # The accounts as the platform holds them, from the first read: what the plan compares with.
        self.before: dict[str, Account] = {}

    def accounts(self, uai: str) -> list[Account]:
        accounts = self._platform.accounts(uai)
        for account in accounts:
            if account.account_id is not None:
                self.before.setdefault(account.account_id, account)
        return accounts

    def write_accounts(self, uai: str, accounts: Sequence[Account]) -> None:
        self.intended_accounts.extend(accounts)

    def cohorts(self, uai: str) -> list[Cohort]:
        return self._platform.cohorts(uai)

    def create_cohorts(self, uai: str, cohorts: Sequence[Cohort]) -> None:
        self.intended_cohorts.extend(cohorts)

    def taken_usernames(self, candidates: Sequence[str]) -> set[str]:
        return self._platform.taken_usernames(candidates)
