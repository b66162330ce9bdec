"""Where a dry run's steps stage what they would have done, for the plan report to gather."""

from __future__ import annotations

from elea.models.import_plan import StepPlan
from elea.ports.staging import StagingStore

_JSON = "application/json"


def plan_key(staging_prefix: str, step: str) -> str:
    """`step`: "classes", "deprovision" or "chunk-00003"."""
    return f"{staging_prefix}plan/{step}.json"


def chunk_step(index: int) -> str:
    return f"chunk-{index:05d}"


def write_step_plan(store: StagingStore, staging_prefix: str, step: str, plan: StepPlan) -> None:
    store.put(plan_key(staging_prefix, step), plan.model_dump_json().encode("utf-8"), _JSON)


def read_step_plan(store: StagingStore, staging_prefix: str, step: str) -> StepPlan | None:
    body = store.get(plan_key(staging_prefix, step))
    return None if body is None else StepPlan.model_validate_json(body)
