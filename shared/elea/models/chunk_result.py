from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from elea.models.outcome_counts import OutcomeCounts


class ChunkResult(BaseModel):
    """What one Map iteration returns: counts only; the per-person outcomes are in staging."""

    model_config = ConfigDict(frozen=True)

    index: int
    outcomes_key: str
    counts: OutcomeCounts
