from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Profile(StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"
    PERSONNEL = "personnel"
    RELATIVE = "relative"
    GUEST = "guest"


class Person(BaseModel):
    """One person of the roster.

    `id` is the ENT "Id" (entcore's externalId), the stable key. For SIECLE rosters it is
    the SIECLE/STS id prefixed by its source so it can never collide with an ENT Id.
    `login` is None when the source has no ENT login (SIECLE, STS): the users step
    then generates a stable username.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    login: str | None
    last_name: str
    first_name: str
    profile: Profile
    classes: tuple[str, ...] = ()
    siecle_id: str | None = None
    birth_date: date | None = None
    email: str | None = None
    functions: tuple[str, ...] = ()
    line: int | None = None
    # Set by the parse step for people without an ENT login; unique within the file.
    proposed_username: str | None = None

    @property
    def has_ent_login(self) -> bool:
        return self.login is not None
