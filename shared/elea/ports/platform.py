"""The platform port: where accounts and cohorts live.

Adapters: DynamoDB (the embedded local default), a real Moodle (Éléa) through its REST web services
(`elea.dal.moodle.platform.MoodlePlatform`), and an in-memory fake for tests. Nothing outside an adapter
may assume one of them: the logic sees only these models and this Protocol.

One account per person on a platform, whatever the number of schools that list it (a teacher shared by
two collèges, a cité scolaire). A school is *attached* to the accounts its latest import lists: it
manages their shared fields (names, login, profile, status) and ONLY its own cohorts' memberships
(idnumber `{UAI}$…`). Attachments and memberships are written pair by pair (school, account) and
(cohort, account), never as a read-modify-write of a field two schools share, so two schools importing
at the same moment lose nothing of each other's changes. An account is suspended only when no school
is attached to it any more (`release_accounts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

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
    # The platform's own stable id (Moodle's user id; the DynamoDB item key). Every account read from a
    # platform carries one; None means "to create", and the adapter assigns it. Renames keep it.
    account_id: str | None = None
    ent_id: str | None
    last_name: str
    first_name: str
    profile: Profile | None
    # Memberships. Read through `accounts(uai)`: those in the school's import cohorts (`{UAI}$…`), the
    # only ones this school's import manages; adapters may also give others. Empty from `find_accounts`.
    cohorts: frozenset[str] = frozenset()
    status: AccountStatus = AccountStatus.ACTIVE
    origin: AccountOrigin = AccountOrigin.ENT
    protected: bool = False  # marked protected by a manager
    email: str | None = None

    @property
    def is_flagged(self) -> bool:
        """A flagged account is never modified by an import."""
        return self.protected or self.origin in (AccountOrigin.MANUAL, AccountOrigin.LOCAL_MANAGER)


class AccountChange(BaseModel):
    """One account to write for a school: `before` as the platform showed it (None: to create), `after`
    as the school wants it. Adapters write only the difference: the fields that changed, and the
    memberships added or removed in the school's own import cohorts (never anyone else's)."""

    model_config = ConfigDict(frozen=True)

    before: Account | None
    after: Account
    # A local (SIECLE/STS) account's initial password, to create it with or to renew it. Never logged.
    password: str | None = Field(default=None, repr=False)
    # The school attaches itself to an existing account it was not attached to (another school's, a former
    # pupil's): adapters attach first, then make it active, so a release racing with it never wins.
    joining: bool = False


class AccountRejection(BaseModel):
    """A person the platform refused (the rest of the batch was written): an English code, a French
    message without personal data, for the person's row of the report."""

    model_config = ConfigDict(frozen=True)

    username: str
    code: str
    message: str


class Release(BaseModel):
    """What `release_accounts` did: the accounts it suspended, and the pending changes (see `write_accounts`)
    the platform refused, for those people's rows of the report."""

    model_config = ConfigDict(frozen=True)

    suspended: list[Account] = []
    refused: list[AccountRejection] = []


class Cohort(BaseModel):
    model_config = ConfigDict(frozen=True)

    idnumber: str
    name: str
    uai: str
    # The platform's own id of the cohort (Moodle's cohort id), when read from a platform that has one.
    cohort_id: str | None = None


class Platform(Protocol):
    """Adapters translate their own failures (ClientError, HTTP errors) into elea.errors.PlatformError."""

    def accounts(self, uai: str) -> list[Account]:
        """The accounts the school is attached to, with their memberships in its cohorts: ONE read of the
        school per import (no scan of the platform, no call per person)."""
        ...

    def find_accounts(self, usernames: Sequence[str]) -> list[Account]:
        """The accounts holding these usernames (compared without case), whatever their schools: batched
        lookups, never a scan. How a creation is always preceded by a username check."""
        ...

    def write_accounts(
        self,
        uai: str,
        changes: Sequence[AccountChange],
        *,
        looked_up: bool = False,
        known_cohorts: Sequence[Cohort] | None = None,
        finish_at_release: bool = False,
    ) -> list[AccountRejection]:
        """Writes these changes for the school, batched, and attaches it to every account written.

        Idempotent, including a creation retried after a crash: an account that already holds the
        username with the same ent_id is the one the crashed attempt made, and is updated, never
        duplicated. A username held by another person is a rejection, as is anything the platform
        refuses for one person; everyone else is written. `looked_up`: the caller has just looked the
        creations' usernames up (`find_accounts`, in this same attempt), so the adapter need not again;
        a retried attempt never says so. `known_cohorts`: the school's cohorts as this import read them
        (`cohorts(uai)`, with their platform ids), so an adapter that needs ids to remove memberships
        need not read them again.

        `finish_at_release`: the import ends with a `release_accounts` of this school that will be handed
        every change given here that was not refused and carries no password, as `pending`. The adapter may
        leave those changes' field updates and membership removals to it (creations, and every membership
        added, are written here), so that a platform paying per call writes them with the suspensions.
        """
        ...

    def release_accounts(
        self,
        uai: str,
        accounts: Sequence[Account],
        *,
        known_cohorts: Sequence[Cohort] | None = None,
        pending: Sequence[AccountChange] = (),
    ) -> Release:
        """The school's latest import no longer lists these accounts: detaches the school from all of them,
        removes the memberships in its cohorts of those another school still lists, and suspends the others
        (their memberships kept, so a return restores them). Idempotent. `known_cohorts` as for
        `write_accounts`. `pending`: the changes an earlier `write_accounts(finish_at_release=True)` of this
        import may have left to now (written first, in the same calls); empty otherwise."""
        ...

    def cohorts(self, uai: str) -> list[Cohort]:
        """The school's import cohorts (`{UAI}$…`)."""
        ...

    def create_cohorts(self, uai: str, cohorts: Sequence[Cohort]) -> None:
        """Creates the missing cohorts; an existing idnumber is kept as it is."""
        ...

    def school(self, uai: str, expected: Sequence[Account] = ()) -> tuple[list[Cohort], list[Account]]:
        """`cohorts(uai)` and `accounts(uai)` together, in one read where the platform keeps both in one
        place (the Classes step's read of the school).

        `expected`: each person of the file as an account the file would leave unchanged (no platform id, no
        memberships). A platform that pays per account read and keeps a trusted mark of what it last saw or
        wrote (Moodle, `elea.ports.account_marks`) may return, for an account whose mark matches one of them,
        that expected account (with the account's id and its memberships as read now) instead of reading it.
        Others ignore it."""
        ...
