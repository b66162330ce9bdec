"""An in-memory Platform for tests of the logic: same contract as DynamoDbPlatform and MoodlePlatform,
plus call counters.

Stored as the port describes it: one account per person (shared fields), the schools attached to it
(pairs), and memberships (cohort, account) pairs. Stricter than the real ones on one point: an update
that gives an account a username another account holds raises ConcurrentChange, so a logic bug that
would give two accounts the same username fails the unit tests.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from elea.dal.dynamodb.account_ids import new_account_id
from elea.domain.identity import identity_key
from elea.errors import ConcurrentChange
from elea.logic.cohorts import is_import_cohort
from elea.ports.platform import Account, AccountChange, AccountRejection, AccountStatus, Cohort, Release

MESSAGE_TAKEN = "Identifiant déjà utilisé par un autre compte de la plateforme : compte non créé."
PENDING_REFUSED = "La plateforme a refusé la mise à jour de ce compte : il est resté tel quel."


class InMemoryPlatform:
    def __init__(
        self, accounts: Iterable[Account] = (), cohorts: Iterable[Cohort] = (), *, school: str | None = None
    ) -> None:
        """Seeded accounts are attached to the school their import cohorts name, else to `school`."""
        self._accounts: dict[str, Account] = {}  # account_id → account, `cohorts` empty
        self._attached: dict[str, set[str]] = {}  # uai → account ids
        self._members: set[tuple[str, str]] = set()  # (cohort idnumber, account id)
        self._cohorts: dict[str, dict[str, Cohort]] = {}
        self._username_holders: dict[str, str] = {}  # identity key of the username → account_id
        # Calls by Protocol method, and items written; `reset_counts` after seeding.
        self.calls: Counter[str] = Counter()
        self.accounts_written = 0
        self.cohorts_written = 0
        # The pending changes handed to `release_accounts`, and the usernames whose pending change it refuses.
        self.pending_seen: list[AccountChange] = []
        self.refuse_pending: set[str] = set()
        for account in accounts:
            uais = {idn.split("$", 1)[0] for idn in account.cohorts if "$" in idn} or ({school} if school else set())
            stored = self._store(account)
            for uai in uais:
                self._attached.setdefault(uai, set()).add(stored)
            self._members |= {(idn, stored) for idn in account.cohorts}
        for cohort in cohorts:
            self._cohorts.setdefault(cohort.uai, {}).setdefault(cohort.idnumber, cohort)

    # --- Platform ---------------------------------------------------------------------------------
    def accounts(self, uai: str) -> list[Account]:
        self.calls["accounts"] += 1
        return sorted(
            (self._with_cohorts(account_id) for account_id in self._attached.get(uai, set())),
            key=lambda account: account.account_id or "",
        )

    def find_accounts(self, usernames: Sequence[str]) -> list[Account]:
        self.calls["find_accounts"] += 1
        keys = (identity_key(name) for name in usernames)
        ids = {self._username_holders[key] for key in keys if key in self._username_holders}
        return [self._accounts[account_id] for account_id in sorted(ids)]

    def write_accounts(
        self,
        uai: str,
        changes: Sequence[AccountChange],
        *,
        looked_up: bool = False,
        known_cohorts: Sequence[Cohort] | None = None,
        finish_at_release: bool = False,
    ) -> list[AccountRejection]:
        self.calls["write_accounts"] += 1
        rejections: list[AccountRejection] = []
        for change in changes:
            after = change.after
            account_id = after.account_id
            if change.before is None:
                holder = self._username_holders.get(identity_key(after.username))
                if holder is not None and self._accounts[holder].ent_id != after.ent_id:
                    rejections.append(
                        AccountRejection(username=after.username, code="username_taken", message=MESSAGE_TAKEN)
                    )
                    continue
                account_id = holder or new_account_id(after.ent_id, after.username)
            stored = self._store(after.model_copy(update={"account_id": account_id}))
            self._attached.setdefault(uai, set()).add(stored)
            before = change.before.cohorts if change.before is not None else frozenset()
            for idnumber in before - after.cohorts:
                if is_import_cohort(uai, idnumber):
                    self._members.discard((idnumber, stored))
            for idnumber in after.cohorts - before:
                if is_import_cohort(uai, idnumber):
                    self._members.add((idnumber, stored))
            self.accounts_written += 1
        return rejections

    def release_accounts(
        self,
        uai: str,
        accounts: Sequence[Account],
        *,
        known_cohorts: Sequence[Cohort] | None = None,
        pending: Sequence[AccountChange] = (),
    ) -> Release:
        self.calls["release_accounts"] += 1
        # Written at once by `write_accounts`, as DynamoDB does: a pending change is only looked at for the
        # refusals a test asks for (`refuse_pending`), as a platform refusing a late update would give them.
        self.pending_seen.extend(pending)
        refused = [
            AccountRejection(username=change.after.username, code="moodle_refused", message=PENDING_REFUSED)
            for change in pending
            if change.after.username in self.refuse_pending
        ]
        suspended: list[Account] = []
        attached = self._attached.get(uai, set())
        for account in accounts:
            account_id = account.account_id or ""
            if account_id not in self._accounts:
                continue
            attached.discard(account_id)
            if any(account_id in ids for ids in self._attached.values()):
                self._members = {
                    (idn, aid) for idn, aid in self._members if aid != account_id or not is_import_cohort(uai, idn)
                }
                continue
            current = self._accounts[account_id]
            if current.status is not AccountStatus.SUSPENDED:
                self._accounts[account_id] = current.model_copy(update={"status": AccountStatus.SUSPENDED})
                suspended.append(self._with_cohorts(account_id))
                self.accounts_written += 1
        return Release(suspended=suspended, refused=refused)

    def school(self, uai: str, expected: Sequence[Account] = ()) -> tuple[list[Cohort], list[Account]]:
        return self.cohorts(uai), self.accounts(uai)

    def cohorts(self, uai: str) -> list[Cohort]:
        self.calls["cohorts"] += 1
        return sorted(self._cohorts.get(uai, {}).values(), key=lambda cohort: cohort.idnumber)

    def create_cohorts(self, uai: str, cohorts: Sequence[Cohort]) -> None:
        self.calls["create_cohorts"] += 1
        existing = self._cohorts.setdefault(uai, {})
        for cohort in cohorts:
            if cohort.idnumber not in existing and is_import_cohort(uai, cohort.idnumber):
                existing[cohort.idnumber] = cohort
                self.cohorts_written += 1

    # --- test helpers -----------------------------------------------------------------------------
    @property
    def writes(self) -> int:
        """Write calls of any kind: 0 means the platform was left exactly as it was."""
        return self.calls["write_accounts"] + self.calls["create_cohorts"] + self.calls["release_accounts"]

    def reset_counts(self) -> None:
        self.calls.clear()
        self.accounts_written = 0
        self.cohorts_written = 0

    def all_accounts(self) -> list[Account]:
        """Every account, attached or not, with every membership."""
        return [self._with_cohorts(account_id) for account_id in sorted(self._accounts)]

    def account_of(self, uai: str, ent_id: str) -> Account:
        """The account holding this Id, among the school's (attached) or, failing that, any."""
        ids = sorted(self._attached.get(uai, set())) + sorted(self._accounts)
        return next(self._with_cohorts(i) for i in ids if self._accounts[i].ent_id == ent_id)

    def schools_of(self, account_id: str) -> set[str]:
        return {uai for uai, ids in self._attached.items() if account_id in ids}

    def _with_cohorts(self, account_id: str) -> Account:
        cohorts = frozenset(idn for idn, aid in self._members if aid == account_id)
        return self._accounts[account_id].model_copy(update={"cohorts": cohorts})

    def _store(self, account: Account) -> str:
        account_id = account.account_id or new_account_id(account.ent_id, account.username)
        username = identity_key(account.username)
        holder = self._username_holders.get(username)
        if holder is not None and holder != account_id:
            raise ConcurrentChange("Identifiant déjà pris par un autre compte.", code="username_taken")
        previous = self._accounts.get(account_id)
        if previous is not None:
            self._username_holders.pop(identity_key(previous.username), None)
        self._username_holders[username] = account_id
        self._accounts[account_id] = account.model_copy(update={"account_id": account_id, "cohorts": frozenset()})
        return account_id
