"""Users step, one Map iteration: reconcile one staged chunk of people with the platform."""

from __future__ import annotations

from elea.credentials.chunk_passwords import ChunkPasswordIssuer
from elea.logic.plan_steps import chunk_plan
from elea.logic.planning_platform import PlanningPlatform
from elea.logic.staged_plan import chunk_step, write_step_plan
from elea.logic.staging_layout import StagedImport
from elea.logic.users import apply_upsert, plan_upsert
from elea.models.chunk_result import ChunkResult
from elea.models.outcome_counts import OutcomeCounts
from elea.models.policy import ImportPolicy
from elea.models.step_inputs import ChunkRequest
from elea.ports.platform import Platform
from elea.ports.staging import StagingStore


def import_chunk(
    request: ChunkRequest,
    *,
    store: StagingStore,
    platform: Platform,
    policy: ImportPolicy,
    passwords: ChunkPasswordIssuer | None = None,
) -> ChunkResult:
    staged = StagedImport(store, request.staging_prefix)
    outcomes_key = staged.outcomes_key(request.chunk.index)
    # The outcomes are written last: if they exist, this chunk was applied by an attempt whose
    # answer was lost. Reporting them again (rather than re-running, which would now say
    # "unchanged") keeps the report exact; the platform writes were idempotent anyway.
    done = staged.read_outcomes(outcomes_key)
    if done is None and request.dry_run:
        # « Aperçu »: planned through a PlanningPlatform, no initial passwords issued, nothing written.
        people = staged.read_people(request.chunk.key)
        planning = PlanningPlatform(platform)
        plan = plan_upsert(planning, request.uai, people, policy)
        apply_upsert(planning, request.uai, plan)
        write_step_plan(
            store, request.staging_prefix, chunk_step(request.chunk.index), chunk_plan(planning, people, plan.outcomes)
        )
        done = plan.outcomes
        staged.write_outcomes(outcomes_key, done)
    if done is None:
        people = staged.read_people(request.chunk.key)
        plan = plan_upsert(platform, request.uai, people, policy)
        if passwords is not None:
            # Issue 4: SIECLE people get initial passwords, staged before their accounts are written.
            passwords.issue(
                uai=request.uai,
                staging_prefix=request.staging_prefix,
                chunk_index=request.chunk.index,
                people=people,
                outcomes=[outcome.outcome for outcome in plan.outcomes],
                created=[account for account in plan.writes if account.account_id is None],
                platform=platform,
            )
        apply_upsert(platform, request.uai, plan)
        done = plan.outcomes
        staged.write_outcomes(outcomes_key, done)
    return ChunkResult(index=request.chunk.index, outcomes_key=outcomes_key, counts=OutcomeCounts.of(done))
