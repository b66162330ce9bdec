from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from elea.models.outcome import PersonOutcome


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

    @property
    def is_held(self) -> bool:
        return bool(self.held)
