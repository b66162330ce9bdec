"""What each step of an « Aperçu » would have done, from the writes its PlanningPlatform recorded."""

from __future__ import annotations

from collections.abc import Sequence

from elea.logic.cohorts import COHORT_SEPARATOR
from elea.logic.planning_platform import PlanningPlatform
from elea.models.import_plan import FieldChange, PlannedAccount, PlannedCohorts, StepPlan
from elea.models.outcome import Outcome, PersonOutcome
from elea.models.person import Person
from elea.ports.platform import Account, AccountStatus, Cohort


def _class_names(cohorts: frozenset[str]) -> list[str]:
    return sorted(idnumber.partition(COHORT_SEPARATOR)[2] or idnumber for idnumber in cohorts)


def _value(account: Account, field: str) -> str:
    if field == "login":
        return account.username
    if field == "cohorts":
        return ", ".join(_class_names(account.cohorts))
    value = getattr(account, field)
    return "" if value is None else str(getattr(value, "value", value))


def _planned(account: Account, outcome: Outcome, *, line: int | None = None) -> PlannedAccount:
    return PlannedAccount(
        outcome=outcome,
        last_name=account.last_name,
        first_name=account.first_name,
        profile=account.profile,
        classes=_class_names(account.cohorts),
        line=line,
    )


def classes_plan(planning: PlanningPlatform, existing: Sequence[Cohort]) -> StepPlan:
    names = {cohort.idnumber: cohort.name for cohort in existing}
    emptied: set[str] = set()
    for after in planning.intended_accounts:
        before = planning.before.get(after.account_id or "")
        if before is not None:
            emptied |= before.cohorts - after.cohorts
    return StepPlan(
        cohorts=PlannedCohorts(
            create=sorted(cohort.name for cohort in planning.intended_cohorts),
            empty=sorted(names.get(idnumber, idnumber) for idnumber in emptied),
        )
    )


def chunk_plan(planning: PlanningPlatform, people: Sequence[Person], outcomes: Sequence[PersonOutcome]) -> StepPlan:
    """One entry per person whose account would change or who is left out; unchanged ones are counted."""
    written = {account.ent_id: account for account in planning.intended_accounts if account.ent_id}
    accounts: list[PlannedAccount] = []
    unchanged = 0
    for person, outcome in zip(people, outcomes, strict=True):
        if outcome.outcome is Outcome.UNCHANGED:
            unchanged += 1
            continue
        changes: list[FieldChange] = []
        after = written.get(person.id)
        before = None if after is None else planning.before.get(after.account_id or "")
        if outcome.outcome is Outcome.UPDATED and after is not None and before is not None:
            changes = [
                FieldChange(field=field, before=_value(before, field), after=_value(after, field))
                for field in outcome.changed_fields
            ]
        accounts.append(
            PlannedAccount(
                outcome=outcome.outcome,
                last_name=person.last_name,
                first_name=person.first_name,
                profile=person.profile,
                classes=list(person.classes),
                line=person.line,
                changes=changes,
            )
        )
    return StepPlan(accounts=accounts, unchanged=unchanged)


def deprovision_plan(planning: PlanningPlatform, held: Sequence[str]) -> StepPlan:
    suspended = [
        _planned(planning.before.get(account.account_id or "", account), Outcome.SUSPENDED)
        for account in planning.intended_accounts
        if account.status is AccountStatus.SUSPENDED
    ]
    waiting = [_planned(planning.before[ref], Outcome.SUSPENDED) for ref in held if ref in planning.before]
    return StepPlan(accounts=suspended, held=waiting)
