"""The one mechanism that makes an « Aperçu » write nothing: the Platform port, wrapped. Reads go to
the real platform; writes are recorded as intended writes and never reach it."""

from __future__ import annotations

from collections.abc import Sequence

from elea.ports.platform import Account, AccountChange, AccountRejection, AccountStatus, Cohort, Platform, Release


class PlanningPlatform:
    def __init__(self, platform: Platform) -> None:
        self._platform = platform
        self.intended_accounts: list[Account] = []
        self.intended_cohorts: list[Cohort] = []
        # Accounts the school would let go: suspended unless another school still lists them.
        self.intended_releases: list[Account] = []
        # The accounts as the platform holds them, from the first read: what the plan compares with.
        self.before: dict[str, Account] = {}

    def _remember(self, accounts: Sequence[Account]) -> None:
        for account in accounts:
            if account.account_id is not None:
                self.before.setdefault(account.account_id, account)

    def accounts(self, uai: str) -> list[Account]:
        accounts = self._platform.accounts(uai)
        self._remember(accounts)
        return accounts

    def find_accounts(self, usernames: Sequence[str]) -> list[Account]:
        found = self._platform.find_accounts(usernames)
        self._remember(found)
        return found

    def write_accounts(
        self,
        uai: str,
        changes: Sequence[AccountChange],
        *,
        looked_up: bool = False,
        known_cohorts: Sequence[Cohort] | None = None,
        finish_at_release: bool = False,
    ) -> list[AccountRejection]:
        self._remember([change.before for change in changes if change.before is not None])
        self.intended_accounts.extend(change.after for change in changes)
        return []

    def release_accounts(
        self,
        uai: str,
        accounts: Sequence[Account],
        *,
        known_cohorts: Sequence[Cohort] | None = None,
        pending: Sequence[AccountChange] = (),
    ) -> Release:
        self._remember(accounts)
        self.intended_releases.extend(accounts)
        # A plan cannot know whether another school lists them by then: shown as suspensions.
        return Release(
            suspended=[account.model_copy(update={"status": AccountStatus.SUSPENDED}) for account in accounts]
        )

    def cohorts(self, uai: str) -> list[Cohort]:
        return self._platform.cohorts(uai)

    def school(self, uai: str, expected: Sequence[Account] = ()) -> tuple[list[Cohort], list[Account]]:
        cohorts, accounts = self._platform.school(uai, expected)
        self._remember(accounts)
        return cohorts, accounts

    def create_cohorts(self, uai: str, cohorts: Sequence[Cohort]) -> None:
        self.intended_cohorts.extend(cohorts)
