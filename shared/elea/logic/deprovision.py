"""Deprovision step: accounts of the school absent from the file are released by it, and suspended (never
deleted) when no other school lists them.

Safety hold: a file that would suspend more than `policy.suspension_limit(n)` accounts is more likely a
partial export than a school that lost a tenth of its people, so then NONE is suspended; the held ones
are listed (opaque account ids) for `elea-import approve`, which calls `apply_held`.

`n` counts the non-flagged accounts that are not suspended yet: suspended accounts pile up year after
year, and counting them would let an ever larger share of the school through without a hold.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from elea.errors import PlatformError
from elea.logic.cohorts import COHORT_SEPARATOR
from elea.models.deprovision_result import DeprovisionResult, HeldPerson
from elea.models.outcome import Outcome, PersonOutcome
from elea.models.policy import ImportPolicy
from elea.ports.platform import Account, AccountChange, AccountStatus, Cohort, Platform


def _account_ref(account: Account) -> str:
    if account.account_id is None:
        raise PlatformError(
            "La plateforme a rendu un compte sans identifiant interne : import interrompu, réessayez.",
            code="account_without_id",
        )
    return account.account_id


def account_classes(account: Account, uai: str) -> str | None:
    """The account's classes in this school, from its import cohorts' idnumbers (`{UAI}${class}`)."""
    prefix = f"{uai}{COHORT_SEPARATOR}"
    names = sorted(idnumber.removeprefix(prefix) for idnumber in account.cohorts if idnumber.startswith(prefix))
    return ", ".join(names) or None


def held_person(account: Account, uai: str) -> HeldPerson:
    return HeldPerson(
        id=account.ent_id or account.account_id,
        last_name=account.last_name,
        first_name=account.first_name,
        class_name=account_classes(account, uai),
        profile=account.profile,
    )


def _suspended_outcome(account: Account, uai: str) -> PersonOutcome:
    # The file's Id when the account has one (the manager can find the row), else the platform's own id.
    return PersonOutcome(
        line=None,
        id=account.ent_id or account.account_id,
        profile=account.profile,
        outcome=Outcome.SUSPENDED,
        last_name=account.last_name,
        first_name=account.first_name,
        class_name=account_classes(account, uai),
    )


def _release(
    platform: Platform,
    uai: str,
    accounts: Sequence[Account],
    known_cohorts: Sequence[Cohort] | None = None,
    pending: Sequence[AccountChange] = (),
) -> tuple[list[PersonOutcome], dict[str, str]]:
    """The school lets these accounts go; those no other school lists are suspended (and reported). The
    chunks' pending changes are written in the same calls. Returns the suspensions and the refused
    pending changes (username → message)."""
    if not accounts and not pending:
        return [], {}
    release = platform.release_accounts(uai, accounts, known_cohorts=known_cohorts, pending=pending)
    refused = {rejection.username: rejection.message for rejection in release.refused}
    return [_suspended_outcome(account, uai) for account in release.suspended], refused


def _can_be_suspended(account: Account) -> bool:
    return not account.is_flagged and account.status is not AccountStatus.SUSPENDED


def absent_accounts(
    accounts: Iterable[Account], present_ids: Collection[str], present_logins: Collection[str] | None = None
) -> list[Account]:
    """Suspendable accounts whose ENT Id is not in the file.

    An account made before Ids were known has no ent_id: it is absent only if its username is not among
    `present_logins`; without that list it is left alone rather than suspended on a guess.
    """
    logins = None if present_logins is None else {login.lower() for login in present_logins}
    absent: list[Account] = []
    for account in accounts:
        if not _can_be_suspended(account):
            continue
        if account.ent_id is not None:
            gone = account.ent_id not in present_ids
        else:
            gone = logins is not None and account.username.lower() not in logins
        if gone:
            absent.append(account)
    return absent


def plan_and_apply(
    platform: Platform,
    uai: str,
    present_ids: Collection[str],
    policy: ImportPolicy,
    present_logins: Collection[str] | None = None,
    *,
    school_accounts: Sequence[Account] | None = None,
    known_cohorts: Sequence[Cohort] | None = None,
    hold_all: bool = False,
    pending: Sequence[AccountChange] = (),
) -> DeprovisionResult:
    """Suspends the absent accounts in one write, or holds them all above the safety limit, or when
    `hold_all` (the file failed a sanity check, logic/sanity_checks.py).

    `present_ids` are the Ids of every row of the file, including skipped and erroneous rows (their
    `Issue.person_id`), so a typo never suspends anyone. `school_accounts`: the school as the Classes step
    read it (staged), else one read; `known_cohorts` its cohorts as read then (staged). Idempotent: a
    second call writes nothing.

    An account another school still lists is only released by this one (its memberships here removed),
    never suspended: `suspended` lists those really suspended.

    `pending`: the Users chunks' changes the platform may have left to this release; written whether the
    suspensions are applied or held (a hold holds suspensions only, never a chunk's updates).
    """
    accounts = platform.accounts(uai) if school_accounts is None else list(school_accounts)
    limit = policy.suspension_limit(sum(1 for account in accounts if _can_be_suspended(account)))
    absent = absent_accounts(accounts, present_ids, present_logins)
    if absent and (hold_all or len(absent) > limit):
        _, refused = _release(platform, uai, [], known_cohorts, pending)
        return DeprovisionResult(
            suspended=[],
            refused=refused,
            held=sorted(_account_ref(account) for account in absent),
            limit=limit,
            held_people=sorted(
                (held_person(account, uai) for account in absent),
                key=lambda person: (person.last_name, person.first_name),
            ),
        )
    suspended, refused = _release(platform, uai, absent, known_cohorts, pending)
    return DeprovisionResult(suspended=suspended, held=[], limit=limit, refused=refused)


def apply_held(platform: Platform, uai: str, held: Sequence[str]) -> list[PersonOutcome]:
    """Suspends the held accounts that are still suspendable (approval); already suspended ones are skipped."""
    wanted = set(held)
    accounts = [account for account in platform.accounts(uai) if account.account_id in wanted]
    suspended, _ = _release(platform, uai, [account for account in accounts if _can_be_suspended(account)])
    return suspended
