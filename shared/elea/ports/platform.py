"""The platform port: where accounts and cohorts live.

DynamoDB is the first adapter; a real Moodle (Éléa) through its REST web services
(core_user_*, core_cohort_*) is the next. Nothing outside an adapter may assume DynamoDB:
the logic sees only these models and this Protocol.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from elea.models.person import Profile


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    PENDING_ACTIVATION = "pending_activation"


class AccountOrigin(StrEnum):
    ENT = "ent"
    SIECLE = "siecle"
    MANUAL = "manual"  # made by hand on the platform: never touched by imports
    LOCAL_MANAGER = "local_manager"  # the school's management account (username = UAI)


class Account(BaseModel):
    model_config = ConfigDict(frozen=True)

    username: str
    uai: str
    # The platform's own stable id (Moodle's user id; the DynamoDB item key). Every account read from a
    # platform carries one; None means "to create", and the adapter assigns it. Renames keep it.
    account_id: str | None = None
    ent_id: str | None
    last_name: str
    first_name: str
    profile: Profile | None
    cohorts: frozenset[str] = frozenset()  # cohort idnumbers
    status: AccountStatus = AccountStatus.ACTIVE
    origin: AccountOrigin = AccountOrigin.ENT
    protected: bool = False  # marked protected by a manager
    email: str | None = None

    @property
    def is_flagged(self) -> bool:
        """A flagged account is never modified by an import."""
        return self.protected or self.origin in (AccountOrigin.MANUAL, AccountOrigin.LOCAL_MANAGER)


class Cohort(BaseModel):
    model_config = ConfigDict(frozen=True)

    idnumber: str
    name: str
    uai: str


class Platform(Protocol):
    """Adapters translate their own failures (ClientError, HTTP errors) into elea.errors.PlatformError."""

    def accounts(self, uai: str) -> list[Account]:
        """Every account of the UAI, in one per-UAI query (no scan, no per-user get)."""
        ...

    def write_accounts(self, uai: str, accounts: Sequence[Account]) -> None:
        """Creates (account_id None) or replaces (by account_id) these accounts, batched.

        Idempotent: writing the same state twice is a no-op, including a creation retried after a crash
        (adapters derive the new account_id deterministically). Every account must belong to `uai`.
        """
        ...

    def cohorts(self, uai: str) -> list[Cohort]: ...

    def create_cohorts(self, uai: str, cohorts: Sequence[Cohort]) -> None:
        """Creates the missing cohorts; an existing idnumber is kept as it is."""
        ...

    def taken_usernames(self, candidates: Sequence[str]) -> set[str]:
        """Which of these usernames already exist on the platform, whatever their UAI."""
        ...
