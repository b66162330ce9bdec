"""How many people got each outcome: what travels between states and what the report headlines."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from elea.models.outcome import Outcome, PersonOutcome

_FIELD_OF_OUTCOME = {
    Outcome.CREATED: "created",
    Outcome.UPDATED: "updated",
    Outcome.UNCHANGED: "unchanged",
    Outcome.PROTECTED: "protected",
    Outcome.SUSPENDED: "suspended",
    Outcome.SKIPPED: "skipped",
    Outcome.ERROR: "errors",
}


class OutcomeCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    protected: int = 0
    suspended: int = 0
    skipped: int = 0
    errors: int = 0

    @classmethod
    def of(cls, outcomes: Iterable[PersonOutcome]) -> OutcomeCounts:
        totals = dict.fromkeys(_FIELD_OF_OUTCOME.values(), 0)
        for outcome in outcomes:
            totals[_FIELD_OF_OUTCOME[outcome.outcome]] += 1
        return cls(**totals)

    def __add__(self, other: OutcomeCounts) -> OutcomeCounts:
        return OutcomeCounts(
            **{name: getattr(self, name) + getattr(other, name) for name in OutcomeCounts.model_fields}
        )

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in OutcomeCounts.model_fields)
