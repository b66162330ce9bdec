"""What Moodle's web services take and give, as typed values (only the fields the import uses).

Moodle omits empty fields from user objects (idnumber, institution...), so every optional field
defaults to "" or None rather than failing validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from elea.dal.moodle.errors import MoodleCallError


class _Answer(BaseModel):
    """Something Moodle answered: unknown fields are ignored, never an error (Moodle adds fields over versions)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class SiteInfo(_Answer):
    sitename: str
    siteurl: str
    release: str = ""
    version: str = ""
    userid: int
    username: str
    userissiteadmin: bool = False
    functions: frozenset[str] = frozenset()

    @classmethod
    def from_answer(cls, answer: dict[str, Any]) -> SiteInfo:
        names = frozenset(str(f.get("name", "")) for f in answer.get("functions", []) if isinstance(f, dict))
        return cls.model_validate({**answer, "functions": names})


class MoodleUser(_Answer):
    id: int
    username: str
    idnumber: str = ""
    firstname: str = ""
    lastname: str = ""
    email: str = ""
    auth: str = ""
    suspended: bool = False
    confirmed: bool = True
    department: str = ""
    institution: str = ""
    country: str = ""
    customfields: tuple[dict[str, Any], ...] = ()


class NewMoodleUser(BaseModel):
    """One account to create. `username` is lowercased on the way out; either a password, createpassword or a
    passwordless auth (cas) is needed, else Moodle refuses the whole batch."""

    model_config = ConfigDict(frozen=True)

    username: str
    firstname: str
    lastname: str
    email: str
    auth: str = "manual"
    idnumber: str = ""
    password: str | None = None
    createpassword: bool = False
    department: str = ""
    institution: str = ""
    country: str = ""
    # Moodle's forced change at first login is the preference auth_forcepasswordchange=1.
    force_password_change: bool = False

    def to_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "username": self.username.lower(),
            "firstname": self.firstname,
            "lastname": self.lastname,
            "email": self.email,
            "auth": self.auth,
        }
        for name in ("idnumber", "department", "institution", "country"):
            if value := getattr(self, name):
                params[name] = value
        if self.password is not None:
            params["password"] = self.password
        if self.createpassword:
            params["createpassword"] = 1
        if self.force_password_change:
            params["preferences"] = [{"type": "auth_forcepasswordchange", "value": "1"}]
        return params


class MoodleUserUpdate(BaseModel):
    """The id and only the fields to change (None = leave as is)."""

    model_config = ConfigDict(frozen=True)

    id: int
    username: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    auth: str | None = None
    idnumber: str | None = None
    suspended: bool | None = None
    department: str | None = None
    institution: str | None = None
    password: str | None = None

    def to_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"id": self.id}
        for name, value in self.model_dump(exclude={"id"}, exclude_none=True).items():
            if name == "username":
                value = str(value).lower()
            elif name == "suspended":
                value = 1 if value else 0
            params[name] = value
        return params


class MoodleCohort(_Answer):
    id: int
    idnumber: str = ""
    name: str
    description: str = ""
    visible: bool = True
    # core_cohort_get_cohorts and search_cohorts do not return it (Moodle 4.5): None then.
    contextid: int | None = None


class NewMoodleCohort(BaseModel):
    """A cohort to create; `category` None = system context, else a category's id (categorytype id)."""

    model_config = ConfigDict(frozen=True)

    idnumber: str
    name: str
    description: str = ""
    visible: bool = True
    category_id: int | None = None

    def to_params(self) -> dict[str, Any]:
        categorytype = (
            {"type": "system", "value": ""}
            if self.category_id is None
            else {"type": "id", "value": str(self.category_id)}
        )
        params: dict[str, Any] = {"categorytype": categorytype, "name": self.name, "idnumber": self.idnumber}
        if self.description:
            params["description"] = self.description
        if not self.visible:
            params["visible"] = 0
        return params


class MoodleWarning(_Answer):
    """A soft, per-item warning; `message` may name a person: never log or report it, use warningcode/itemid."""

    item: str = ""
    itemid: int | None = None
    warningcode: str
    message: str = Field(default="", repr=False)


@dataclass(frozen=True)
class CreateUsersResult:
    """username -> new id for those created; username -> why Moodle refused them (no personal data inside)."""

    created: dict[str, int]
    rejected: dict[str, MoodleCallError]
