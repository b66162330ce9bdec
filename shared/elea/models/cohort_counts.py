from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class CohortCounts(BaseModel):
    """Output of the classes step: counts only (cohort names stay in the platform)."""

    model_config = ConfigDict(frozen=True)

    created: int = 0
    unchanged: int = 0
    emptied: int = 0
