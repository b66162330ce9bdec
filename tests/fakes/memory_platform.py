"""An in-memory Platform for tests of the logic: same contract as DynamoDbPlatform, plus call counters.

Stricter than DynamoDB on one point: writing a username another account holds raises ConcurrentChange,
so a logic bug that would give two accounts the same username fails the unit tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from elea.dal.dynamodb.account_ids import new_account_id
from elea.domain.identity import identity_key
from elea.errors import ConcurrentChange, UaiMismatch
from elea.ports.platform import Account, Cohort


class InMemoryPlatform:
    def __init__(self, accounts: Iterable[Account] = (), cohorts: Iterable[Cohort] = ()) -> None:
        self._accounts: dict[str, dict[str, Account]] = {}
        self._cohorts: dict[str, dict[str, Cohort]] = {}
        self._username_holders: dict[str, str] = {}  # identity key of the username → account_id
        # Calls by Protocol method, and items written; `reset_counts` after seeding.
        self.calls: Counter[str] = Counter()
        self.accounts_written = 0
        self.cohorts_written = 0
        for account in accounts:
            self._store(account)
        for cohort in cohorts:
            self._cohorts.setdefault(cohort.uai, {}).setdefault(cohort.idnumber, cohort)

    # --- Platform ---------------------------------------------------------------------------------
    def accounts(self, uai: str) -> list[Account]:
        self.calls["accounts"] += 1
        return sorted(self._accounts.get(uai, {}).values(), key=lambda account: account.account_id or "")

    def write_accounts(self, uai: str, accounts: Sequence[Account]) -> None:
        self.calls["write_accounts"] += 1
        _check_uai(uai, (account.uai for account in accounts))
        for account in accounts:
            self._store(account)
            self.accounts_written += 1

    def cohorts(self, uai: str) -> list[Cohort]:
        self.calls["cohorts"] += 1
        return sorted(self._cohorts.get(uai, {}).values(), key=lambda cohort: cohort.idnumber)

    def create_cohorts(self, uai: str, cohorts: Sequence[Cohort]) -> None:
        self.calls["create_cohorts"] += 1
        _check_uai(uai, (cohort.uai for cohort in cohorts))
        existing = self._cohorts.setdefault(uai, {})
        for cohort in cohorts:
            if cohort.idnumber not in existing:
                existing[cohort.idnumber] = cohort
                self.cohorts_written += 1

    def taken_usernames(self, candidates: Sequence[str]) -> set[str]:
        self.calls["taken_usernames"] += 1
        return {candidate for candidate in candidates if identity_key(candidate) in self._username_holders}

    # --- test helpers -----------------------------------------------------------------------------
    @property
    def writes(self) -> int:
        """Write calls of any kind: 0 means the platform was left exactly as it was."""
        return self.calls["write_accounts"] + self.calls["create_cohorts"]

    def reset_counts(self) -> None:
        self.calls.clear()
        self.accounts_written = 0
        self.cohorts_written = 0

    def all_accounts(self) -> list[Account]:
        return [account for accounts in self._accounts.values() for account in accounts.values()]

    def account_of(self, uai: str, ent_id: str) -> Account:
        return next(account for account in self._accounts.get(uai, {}).values() if account.ent_id == ent_id)

    def _store(self, account: Account) -> None:
        account_id = account.account_id or new_account_id(account.uai, account.ent_id, account.username)
        account = account.model_copy(update={"account_id": account_id})
        username = identity_key(account.username)
        holder = self._username_holders.get(username)
        if holder is not None and holder != account_id:
            raise ConcurrentChange("Identifiant déjà pris par un autre compte.", code="username_taken")
        accounts = self._accounts.setdefault(account.uai, {})
        previous = accounts.get(account_id)
        if previous is not None:
            self._username_holders.pop(identity_key(previous.username), None)
        self._username_holders[username] = account_id
        accounts[account_id] = account


def _check_uai(uai: str, owners: Iterable[str]) -> None:
    if any(owner != uai for owner in owners):
        raise UaiMismatch("Écriture refusée : un compte ou une cohorte d'un autre établissement.")
