from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from elea.models.outcome import PersonOutcome
from elea.models.person import Profile


class HeldPerson(BaseModel):
    """Who a held suspension would suspend, for the page's « Suspendre ces comptes » (report only)."""

    model_config = ConfigDict(frozen=True)

    # The file's Id when the account has one (as for a suspended row), else the platform's opaque id.
    id: str | None
    last_name: str
    first_name: str
    class_name: str | None = None
    profile: Profile | None = None


class DeprovisionResult(BaseModel):
    """The Deprovision step's result: suspensions applied now, or all of them held for approval.

    `held` lists the platform's opaque account ids (never names or logins), to be stored on the import
    record and given back to `apply_held` by `elea-import approve`.
    """

    model_config = ConfigDict(frozen=True)

    suspended: list[PersonOutcome] = Field(default_factory=list)
    held: list[str] = Field(default_factory=list)
    # The safety limit that applied, so the report can say "N suspensions retenues (limite L)".
    limit: int = Field(default=0, ge=0)
    # Issue 8: the held accounts' names, class and profile, written into report.json (staging only here).
    held_people: list[HeldPerson] = Field(default_factory=list)
    # The usernames whose pending change (left by a Users chunk to the release) the platform refused, with
    # the French message for their row. Never logged.
    refused: dict[str, str] = Field(default_factory=dict)

    @property
    def is_held(self) -> bool:
        return bool(self.held)
