"""Small builders of people and accounts for the logic tests (synthetic names only)."""

from __future__ import annotations

from elea.logic.cohorts import cohort_idnumber
from elea.models.person import Person, Profile
from elea.ports.platform import Account, AccountOrigin, AccountStatus

UAI = "0750654D"
OTHER_UAI = "0930001W"


def person(
    ent_id: str,
    *,
    login: str | None = "",
    last_name: str = "Martin",
    first_name: str = "Léa",
    profile: Profile = Profile.STUDENT,
    classes: tuple[str, ...] = ("3A",),
    line: int | None = None,
) -> Person:
    """An ENT person whose login defaults to `login.<id>`; pass login=None for a SIECLE person."""
    return Person(
        id=ent_id,
        login=f"login.{ent_id}" if login == "" else login,
        last_name=last_name,
        first_name=first_name,
        profile=profile,
        classes=classes,
        line=line,
    )


def account(
    username: str,
    *,
    ent_id: str | None = None,
    uai: str = UAI,
    classes: tuple[str, ...] = ("3A",),
    last_name: str = "Martin",
    first_name: str = "Léa",
    profile: Profile | None = Profile.STUDENT,
    status: AccountStatus = AccountStatus.ACTIVE,
    origin: AccountOrigin = AccountOrigin.ENT,
    protected: bool = False,
    extra_cohorts: tuple[str, ...] = (),
) -> Account:
    """An account whose cohorts are the classes of `uai` (the school the fakes attach it to when seeded)."""
    return Account(
        username=username,
        ent_id=ent_id,
        last_name=last_name,
        first_name=first_name,
        profile=profile,
        cohorts=frozenset(cohort_idnumber(uai, name) for name in classes) | frozenset(extra_cohorts),
        status=status,
        origin=origin,
        protected=protected,
    )


def students(count: int, *, classes: tuple[str, ...] = ("3A",), prefix: str = "id") -> list[Person]:
    return [person(f"{prefix}{index:05d}", classes=classes, line=index + 2) for index in range(count)]
