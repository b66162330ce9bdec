"""Users step: reconcile one chunk of people with the school's accounts.

Exactly-once reporting: `plan_upsert` computes every outcome against ONE snapshot of the school's accounts
(the chunk's slice of the read the Classes step staged, or one read) and one lookup of the usernames the
chunk may claim, and `apply_upsert` then writes only what the plan changes. A chunk retried after a
crash part-way through reaches the same end state (a creation is always preceded by a username lookup, so
an account the crashed attempt made is found, never duplicated), but a fresh plan would see the crashed
attempt's writes as "unchanged" or "updated". So the users step stages the plan (keyed by chunk, kept if
already there) BEFORE `apply_upsert` and applies that same plan again on a retry; `upsert_people` is the
plain plan-then-apply for callers that accept a retry's own view.

A person whose account is not the school's yet but exists on the platform with the same Id (a teacher
another school already imported, a pupil coming back, a crashed attempt's creation) gets that account:
ONE account per person, to which the school is then attached (changed field "school").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from elea.domain.identity import identity_key, looks_like_uai
from elea.logic.cohorts import is_import_cohort, wanted_cohorts
from elea.logic.usernames import fallback_candidates, username_base
from elea.models.outcome import Outcome, PersonOutcome
from elea.models.person import Person
from elea.models.policy import ImportPolicy
from elea.ports.platform import Account, AccountChange, AccountOrigin, AccountStatus, Cohort, Platform

# The fields an "updated" outcome may name, in report order. "ent_id": a pre-Id account got linked;
# "school": an existing account of the platform (another school's, a former one) joined this school.
CHANGEABLE_FIELDS = ("last_name", "first_name", "login", "profile", "cohorts", "status", "ent_id", "school")

MESSAGE_LOGIN_TAKEN = (
    "Identifiant déjà utilisé par un autre compte de la plateforme : compte non créé. "
    "Vérifiez l'Id et l'identifiant de cette ligne dans l'export, ou demandez à l'administrateur de la plateforme."
)
MESSAGE_NEW_LOGIN_TAKEN = (
    "Le nouvel identifiant est déjà utilisé par un autre compte de la plateforme : l'ancien est conservé."
)
MESSAGE_RESERVED_USERNAME = (
    "Cet identifiant a la forme d'un code UAI, réservé au compte de gestion d'un établissement : compte non "
    "créé. Corrigez l'identifiant de ce compte dans l'ENT puis exportez à nouveau."
)
MESSAGE_NEW_LOGIN_RESERVED = (
    "Le nouvel identifiant a la forme d'un code UAI, réservé au compte de gestion d'un établissement : "
    "l'ancien est conservé."
)
MESSAGE_NO_USERNAME = "Aucun identifiant libre pour ce compte : compte non créé. Signalez-le à l'administrateur."


class UpsertPlan(BaseModel):
    """Outcomes of a chunk (one per person, in input order), the account changes to write for it, and for
    each change the index of its person's outcome (a platform rejection turns that one into an error)."""

    model_config = ConfigDict(frozen=True)

    outcomes: list[PersonOutcome]
    writes: list[AccountChange]
    owners: list[int] = []


@dataclass(frozen=True)
class _Snapshot:
    by_ent_id: dict[str, Account]
    by_username: dict[str, Account]

    @classmethod
    def of(cls, accounts: Iterable[Account]) -> _Snapshot:
        by_ent_id: dict[str, Account] = {}
        by_username: dict[str, Account] = {}
        for account in accounts:
            if account.ent_id is not None:
                by_ent_id[account.ent_id] = account
            by_username[identity_key(account.username)] = account
        return cls(by_ent_id, by_username)

    def match(self, person: Person) -> Account | None:
        """By ENT Id within the UAI, then by login for an account made before Ids were known."""
        account = self.by_ent_id.get(person.id)
        if account is not None:
            return account
        login = person.login or person.proposed_username
        if login is None:
            return None
        account = self.by_username.get(identity_key(login))
        if account is not None and account.ent_id in (None, person.id):
            return account
        return None


def _outcome(person: Person, outcome: Outcome, changed: tuple[str, ...] = (), message: str = "") -> PersonOutcome:
    return PersonOutcome(
        line=person.line,
        id=person.id,
        profile=person.profile,
        outcome=outcome,
        changed_fields=changed,
        message=message,
        last_name=person.last_name,
        first_name=person.first_name,
        class_name=", ".join(person.classes) or None,
    )


def _cohorts_of(uai: str, person: Person, class_cohorts: Mapping[str, str] | None = None) -> frozenset[str]:
    return frozenset(wanted_cohorts(uai, person.classes, class_cohorts))


def _desired(uai: str, person: Person, account: Account, class_cohorts: Mapping[str, str] | None = None) -> Account:
    """The account as the file wants it; memberships in other UAIs' and hand-made cohorts are kept."""
    kept_cohorts = frozenset(idnumber for idnumber in account.cohorts if not is_import_cohort(uai, idnumber))
    return account.model_copy(
        update={
            "ent_id": person.id,
            "last_name": person.last_name,
            "first_name": person.first_name,
            "profile": person.profile,
            "username": _desired_username(person, account),
            "cohorts": kept_cohorts | _cohorts_of(uai, person, class_cohorts),
            "status": AccountStatus.ACTIVE if account.status is AccountStatus.SUSPENDED else account.status,
        }
    )


def _desired_username(person: Person, account: Account) -> str:
    """SIECLE accounts keep the username they were given: only an ENT login renames, and not by its case,
    its accents or its Unicode form (one identity, see elea.domain.identity)."""
    if person.login is None or identity_key(person.login) == identity_key(account.username):
        return account.username
    return person.login.lower()


def _changed_fields(before: Account, after: Account) -> tuple[str, ...]:
    changed = {
        "last_name": before.last_name != after.last_name,
        "first_name": before.first_name != after.first_name,
        "login": before.username != after.username,
        "profile": before.profile != after.profile,
        "cohorts": before.cohorts != after.cohorts,
        "status": before.status != after.status,
        "ent_id": before.ent_id != after.ent_id,
        "school": False,
    }
    return tuple(field for field in CHANGEABLE_FIELDS if changed[field])


def _new_username_candidates(person: Person) -> list[str]:
    """ENT people get their login (their single sign-on needs it); others their proposal, then fallbacks."""
    if person.login is not None:
        # Never a UAI-shaped username: it is, or would pass for, a school's management account.
        return [] if looks_like_uai(person.login) else [person.login.lower()]
    base = username_base(person.first_name, person.last_name)
    # Not the plain base after a suffixed proposal: that base belongs to a homonym of the same file.
    candidates = [person.proposed_username or base, *fallback_candidates(base, person.id)]
    return [candidate for candidate in dict.fromkeys(candidates) if not looks_like_uai(candidate)]


def _match_people(
    people: Sequence[Person], policy: ImportPolicy, snapshot: _Snapshot
) -> tuple[dict[int, Account], set[str]]:
    """The account each imported person matches (by row index), and every username the chunk may claim."""
    matched: dict[int, Account] = {}
    claimed_accounts: set[tuple[str | None, str]] = set()
    candidates: set[str] = set()
    for index, person in enumerate(people):
        if person.profile not in policy.imported_profiles:
            continue
        account = snapshot.match(person)
        # Two rows can never drive the same account: the second one is treated as a newcomer.
        if account is not None and (account.account_id, account.username) not in claimed_accounts:
            claimed_accounts.add((account.account_id, account.username))
            matched[index] = account
            if not account.is_flagged and _desired_username(person, account) != account.username:
                candidates.add(_desired_username(person, account))
        else:
            candidates.update(_new_username_candidates(person))
    return matched, candidates


def plan_upsert(
    platform: Platform,
    uai: str,
    people: Sequence[Person],
    policy: ImportPolicy,
    school_accounts: Sequence[Account] | None = None,
    class_cohorts: Mapping[str, str] | None = None,
) -> UpsertPlan:
    """Matches against `school_accounts` (the chunk's staged slice; read from the platform when None) and
    looks the candidate usernames up once; writes nothing. `class_cohorts`: the file's classes that are an
    existing cohort spelled otherwise (the Classes step's `resolve_cohorts`) → that cohort's idnumber."""
    accounts = platform.accounts(uai) if school_accounts is None else school_accounts
    matched, candidates = _match_people(people, policy, _Snapshot.of(accounts))
    holders = (
        {identity_key(account.username): account for account in platform.find_accounts(sorted(candidates))}
        if candidates
        else {}
    )
    # Usernames this chunk gives out, so two people of the chunk never get the same one, and accounts it
    # adopts, so two rows never drive one account.
    claimed_usernames: set[str] = set()
    adopted: set[str | None] = {account.account_id for account in matched.values()}

    def is_free(username: str) -> bool:
        return identity_key(username) not in holders and identity_key(username) not in claimed_usernames

    outcomes: list[PersonOutcome] = []
    writes: list[AccountChange] = []
    owners: list[int] = []
    for index, person in enumerate(people):
        if person.profile not in policy.imported_profiles:
            outcomes.append(_outcome(person, Outcome.SKIPPED))
            continue
        current = matched.get(index)
        joining = False
        if current is None:
            current = _own_account(person, holders, adopted)
            joining = current is not None
        if current is not None and current.is_flagged:
            outcomes.append(_outcome(person, Outcome.PROTECTED))
            continue
        if current is None:
            username = next(filter(is_free, _new_username_candidates(person)), None)
            if username is None:
                outcomes.append(_outcome(person, Outcome.ERROR, message=_no_username_message(person)))
                continue
            claimed_usernames.add(identity_key(username))
            owners.append(len(outcomes))
            writes.append(AccountChange(before=None, after=_new_account(uai, person, username, class_cohorts)))
            outcomes.append(_outcome(person, Outcome.CREATED))
            continue
        adopted.add(current.account_id)
        desired = _desired(uai, person, current, class_cohorts)
        message = ""
        if desired.username != current.username:
            if looks_like_uai(desired.username):
                desired = desired.model_copy(update={"username": current.username})
                message = MESSAGE_NEW_LOGIN_RESERVED
            elif is_free(desired.username):
                claimed_usernames.add(identity_key(desired.username))
            else:
                desired = desired.model_copy(update={"username": current.username})
                message = MESSAGE_NEW_LOGIN_TAKEN
        changed = _changed_fields(current, desired) + (("school",) if joining else ())
        if changed:
            owners.append(len(outcomes))
            writes.append(AccountChange(before=current, after=desired, joining=joining))
        outcomes.append(_outcome(person, Outcome.UPDATED if changed else Outcome.UNCHANGED, changed, message))
    return UpsertPlan(outcomes=outcomes, writes=writes, owners=owners)


def _own_account(person: Person, holders: Mapping[str, Account], adopted: set[str | None]) -> Account | None:
    """The platform account already holding one of the person's usernames with the person's own Id."""
    for username in _new_username_candidates(person):
        holder = holders.get(identity_key(username))
        if holder is not None and holder.ent_id == person.id and holder.account_id not in adopted:
            return holder
    return None


def _no_username_message(person: Person) -> str:
    if person.login is None:
        return MESSAGE_NO_USERNAME
    return MESSAGE_RESERVED_USERNAME if looks_like_uai(person.login) else MESSAGE_LOGIN_TAKEN


def _new_account(uai: str, person: Person, username: str, class_cohorts: Mapping[str, str] | None = None) -> Account:
    return Account(
        username=username,
        ent_id=person.id,
        last_name=person.last_name,
        first_name=person.first_name,
        profile=person.profile,
        cohorts=_cohorts_of(uai, person, class_cohorts),
        status=AccountStatus.ACTIVE,
        origin=AccountOrigin.ENT if person.login is not None else AccountOrigin.SIECLE,
        # The export's e-mail, written at creation only (the platform may give a placeholder instead).
        email=person.email,
    )


def expected_accounts(uai: str, people: Iterable[Person]) -> list[Account]:
    """Each person as the account the file would leave unchanged (what `plan_upsert` compares: the account
    it would create, under the username it has), for a platform that may hand those back instead of reading
    the accounts (`Platform.school`). A person whose username only the platform knows (no login, no proposal)
    has none."""
    expected: list[Account] = []
    for person in people:
        username = person.login.lower() if person.login is not None else person.proposed_username
        if username is not None:
            expected.append(_new_account(uai, person, username))
    return expected


class PendingChange(BaseModel):
    """A chunk's change the platform may leave to the import's release (`write_accounts(finish_at_release=
    True)`: its field updates and membership removals), with the index of its person's outcome in the chunk,
    so that a refusal then still reaches that person's row."""

    model_config = ConfigDict(frozen=True)

    owner: int
    change: AccountChange


def apply_upsert(
    platform: Platform,
    uai: str,
    plan: UpsertPlan,
    *,
    passwords: Mapping[str, str] | None = None,
    kept: Sequence[Account] = (),
    looked_up: bool = False,
    known_cohorts: Sequence[Cohort] | None = None,
) -> list[PersonOutcome]:
    """One batched write of the plan's changes (nothing at all when the chunk changed nothing); returns
    the outcomes, those the platform refused turned into row errors.

    `passwords` (username → clear initial password, SIECLE/STS people) go with their accounts' writes;
    one for an account the plan keeps unchanged (a renewal) renews it on `kept`'s account of that username.
    `looked_up`: the plan was made in this same attempt (its username lookup is fresh); never for a
    plan staged by an earlier attempt, whose creations must be looked up again. `known_cohorts`: the
    school's cohorts as the Classes step read them (staged), handed to the platform.
    """
    outcomes, _ = apply_upsert_until_release(
        platform, uai, plan, passwords=passwords, kept=kept, looked_up=looked_up, known_cohorts=known_cohorts
    )
    return outcomes


def apply_upsert_until_release(
    platform: Platform,
    uai: str,
    plan: UpsertPlan,
    *,
    passwords: Mapping[str, str] | None = None,
    kept: Sequence[Account] = (),
    looked_up: bool = False,
    known_cohorts: Sequence[Cohort] | None = None,
    finish_at_release: bool = False,
) -> tuple[list[PersonOutcome], list[PendingChange]]:
    """`apply_upsert`, and with `finish_at_release` (an import's Users chunk, whose Deprovision step
    releases the school's leavers last) the changes the platform may have left to that release: every
    update the platform did not refuse and that carries no password. The caller stages them for it."""
    passwords = passwords or {}
    changes = [change.model_copy(update={"password": passwords.get(change.after.username)}) for change in plan.writes]
    written = {change.after.username for change in plan.writes}
    renewals = {account.username: account for account in kept if account.username in passwords}
    changes += [
        AccountChange(before=account, after=account, password=passwords[username])
        for username, account in sorted(renewals.items())
        if username not in written
    ]
    if not changes:
        return list(plan.outcomes), []
    written_back = platform.write_accounts(
        uai, changes, looked_up=looked_up, known_cohorts=known_cohorts, finish_at_release=finish_at_release
    )
    rejections = {rejection.username: rejection for rejection in written_back}
    outcomes = list(plan.outcomes)
    pending: list[PendingChange] = []
    # The plan's own changes (a renewal, after them, is nobody's outcome).
    for change, owner in zip(changes[: len(plan.writes)], plan.owners, strict=True):
        rejection = rejections.get(change.after.username)
        if rejection is not None:
            outcomes[owner] = refused_outcome(outcomes[owner], rejection.message)
        elif finish_at_release and change.before is not None and change.password is None:
            pending.append(PendingChange(owner=owner, change=change))
    return outcomes, pending


def refused_outcome(outcome: PersonOutcome, message: str) -> PersonOutcome:
    """A person's outcome once the platform refused their account's write: a row error in French."""
    return outcome.model_copy(update={"outcome": Outcome.ERROR, "changed_fields": (), "message": message})


def upsert_people(platform: Platform, uai: str, people: Sequence[Person], policy: ImportPolicy) -> list[PersonOutcome]:
    """Exactly one outcome per person: created, updated (with fields), unchanged, protected, skipped or error."""
    return apply_upsert(platform, uai, plan_upsert(platform, uai, people, policy), looked_up=True)
