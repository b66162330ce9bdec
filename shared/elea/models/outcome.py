from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from elea.models.person import Profile


class Outcome(StrEnum):
    """Exactly one per person of the file (and one per suspended account)."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    PROTECTED = "protected"
    SUSPENDED = "suspended"
    SKIPPED = "skipped"
    ERROR = "error"


class PersonOutcome(BaseModel):
    """One row of the per-row report. Never a login; the person's name and class (issue 8, item 7) are
    for the report files only (staging, then reports/ under their retention), never logged."""

    model_config = ConfigDict(frozen=True)

    line: int | None
    id: str | None
    profile: Profile | None
    outcome: Outcome
    changed_fields: tuple[str, ...] = ()
    message: str = ""
    last_name: str | None = None
    first_name: str | None = None
    class_name: str | None = None
