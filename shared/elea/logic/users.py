"""Users step: reconcile one chunk of people with the UAI's accounts.

Exactly-once reporting: `plan_upsert` computes every outcome against ONE snapshot of the UAI's accounts
(read at the start), and `apply_upsert` then writes only what the plan changes. A chunk retried after a
crash part-way through reaches the same end state, but its fresh plan sees the writes of the crashed
attempt as "unchanged". So a handler that wants the first attempt's outcomes stores `plan.outcomes`
(keyed by chunk, kept if already there) BEFORE `apply_upsert`; `upsert_people` is the plain
plan-then-apply for callers that accept a retry's own view.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from elea.logic.cohorts import is_import_cohort, wanted_cohorts
from elea.logic.usernames import fallback_candidates, username_base
from elea.models.outcome import Outcome, PersonOutcome
from elea.models.person import Person
from elea.models.policy import ImportPolicy
from elea.ports.platform import Account, AccountOrigin, AccountStatus, Platform

# The fields an "updated" outcome may name, in report order. "ent_id": a pre-Id account got linked.
CHANGEABLE_FIELDS = ("last_name", "first_name", "login", "profile", "cohorts", "status", "ent_id")

MESSAGE_LOGIN_TAKEN = (
    "Identifiant déjà utilisé par un autre compte de la plateforme : compte non créé. "
    "Vérifiez l'Id et l'identifiant de cette ligne dans l'export, ou demandez à l'administrateur de la plateforme."
)
MESSAGE_NEW_LOGIN_TAKEN = (
    "Le nouvel identifiant est déjà utilisé par un autre compte de la plateforme : l'ancien est conservé."
)
MESSAGE_NO_USERNAME = "Aucun identifiant libre pour ce compte : compte non créé. Signalez-le à l'administrateur."


class UpsertPlan(BaseModel):
    """Outcomes of a chunk (one per person, in input order) and the accounts to write for it."""

    model_config = ConfigDict(frozen=True)

    outcomes: list[PersonOutcome]
    writes: list[Account]


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
            by_username[account.username.lower()] = account
        return cls(by_ent_id, by_username)

    def match(self, person: Person) -> Account | None:
        """By ENT Id within the UAI, then by login for an account made before Ids were known."""
        account = self.by_ent_id.get(person.id)
        if account is not None:
            return account
        login = person.login or person.proposed_username
        if login is None:
            return None
        account = self.by_username.get(login.lower())
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


def _cohorts_of(uai: str, person: Person) -> frozenset[str]:
    return frozenset(wanted_cohorts(uai, person.classes))


def _desired(uai: str, person: Person, account: Account) -> Account:
    """The account as the file wants it; memberships in other UAIs' and hand-made cohorts are kept."""
    kept_cohorts = frozenset(idnumber for idnumber in account.cohorts if not is_import_cohort(uai, idnumber))
    return account.model_copy(
        update={
            "ent_id": person.id,
            "last_name": person.last_name,
            "first_name": person.first_name,
            "profile": person.profile,
            "username": _desired_username(person, account),
            "cohorts": kept_cohorts | _cohorts_of(uai, person),
            "status": AccountStatus.ACTIVE if account.status is AccountStatus.SUSPENDED else account.status,
        }
    )


def _desired_username(person: Person, account: Account) -> str:
    """SIECLE accounts keep the username they were given: only an ENT login renames, and not by its case."""
    if person.login is None or person.login.lower() == account.username.lower():
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
    }
    return tuple(field for field in CHANGEABLE_FIELDS if changed[field])


def _new_username_candidates(person: Person) -> list[str]:
    """ENT people get their login (their single sign-on needs it); others their proposal, then fallbacks."""
    if person.login is not None:
        return [person.login.lower()]
    base = username_base(person.first_name, person.last_name)
    # Not the plain base after a suffixed proposal: that base belongs to a homonym of the same file.
    candidates = [person.proposed_username or base, *fallback_candidates(base, person.id)]
    return list(dict.fromkeys(candidates))


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


def plan_upsert(platform: Platform, uai: str, people: Sequence[Person], policy: ImportPolicy) -> UpsertPlan:
    """Reads the UAI's accounts once and the candidate usernames once; writes nothing."""
    matched, candidates = _match_people(people, policy, _Snapshot.of(platform.accounts(uai)))
    taken = platform.taken_usernames(sorted(candidates)) if candidates else set()
    # Usernames this chunk gives out, so two people of the chunk never get the same one.
    claimed_usernames: set[str] = set()

    def is_free(username: str) -> bool:
        return username not in taken and username not in claimed_usernames

    outcomes: list[PersonOutcome] = []
    writes: list[Account] = []
    for index, person in enumerate(people):
        if person.profile not in policy.imported_profiles:
            outcomes.append(_outcome(person, Outcome.SKIPPED))
            continue
        current = matched.get(index)
        if current is not None and current.is_flagged:
            outcomes.append(_outcome(person, Outcome.PROTECTED))
            continue
        if current is None:
            username = next(filter(is_free, _new_username_candidates(person)), None)
            if username is None:
                message = MESSAGE_LOGIN_TAKEN if person.login is not None else MESSAGE_NO_USERNAME
                outcomes.append(_outcome(person, Outcome.ERROR, message=message))
                continue
            claimed_usernames.add(username)
            writes.append(_new_account(uai, person, username))
            outcomes.append(_outcome(person, Outcome.CREATED))
            continue
        desired = _desired(uai, person, current)
        message = ""
        if desired.username != current.username:
            if is_free(desired.username):
                claimed_usernames.add(desired.username)
            else:
                desired = desired.model_copy(update={"username": current.username})
                message = MESSAGE_NEW_LOGIN_TAKEN
        changed = _changed_fields(current, desired)
        if changed:
            writes.append(desired)
        outcomes.append(_outcome(person, Outcome.UPDATED if changed else Outcome.UNCHANGED, changed, message))
    return UpsertPlan(outcomes=outcomes, writes=writes)


def _new_account(uai: str, person: Person, username: str) -> Account:
    return Account(
        username=username,
        uai=uai,
        ent_id=person.id,
        last_name=person.last_name,
        first_name=person.first_name,
        profile=person.profile,
        cohorts=_cohorts_of(uai, person),
        status=AccountStatus.ACTIVE,
        origin=AccountOrigin.ENT if person.login is not None else AccountOrigin.SIECLE,
    )


def apply_upsert(platform: Platform, uai: str, plan: UpsertPlan) -> None:
    """One batched write of the plan's accounts; nothing at all when the chunk changed nothing."""
    if plan.writes:
        platform.write_accounts(uai, plan.writes)


def upsert_people(platform: Platform, uai: str, people: Sequence[Person], policy: ImportPolicy) -> list[PersonOutcome]:
    """Exactly one outcome per person: created, updated (with fields), unchanged, protected, skipped or error."""
    plan = plan_upsert(platform, uai, people, policy)
    apply_upsert(platform, uai, plan)
    return plan.outcomes
