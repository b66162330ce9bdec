from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class DeprovisionSummary(BaseModel):
    """Output of the deprovisioning step: counts; the suspended and held accounts are in staging."""

    model_config = ConfigDict(frozen=True)

    suspended: int
    held: int
    outcomes_key: str
