"""Users step, one Map iteration: reconcile one staged chunk of people with the platform.

Exactly once: the plan is staged before any write, the outcomes after the last one. A retry finds the
outcomes (the answer was lost: report them again) or the plan (the attempt died part-way, for instance
after Moodle created the accounts but before anything else was recorded): it applies that same plan again,
whose creations are preceded by a username lookup that finds the accounts already made, so there is no
duplicate and no second, different outcome.
"""

from __future__ import annotations

from elea.credentials.chunk_passwords import ChunkPasswordIssuer
from elea.logic.plan_steps import chunk_plan
from elea.logic.planning_platform import PlanningPlatform
from elea.logic.staged_plan import chunk_step, write_step_plan
from elea.logic.staging_layout import StagedImport
from elea.logic.users import UpsertPlan, apply_upsert, apply_upsert_until_release, plan_upsert
from elea.models.chunk_result import ChunkResult
from elea.models.import_record import ImportPhase
from elea.models.outcome import PersonOutcome
from elea.models.outcome_counts import OutcomeCounts
from elea.models.policy import ImportPolicy
from elea.models.step_inputs import ChunkRequest
from elea.ports.import_store import ImportProgressStore
from elea.ports.platform import Platform
from elea.ports.staging import StagingStore


def import_chunk(
    request: ChunkRequest,
    *,
    store: StagingStore,
    platform: Platform,
    policy: ImportPolicy,
    passwords: ChunkPasswordIssuer | None = None,
    progress: ImportProgressStore | None = None,
) -> ChunkResult:
    """`progress`: the import's live progress (issue 8: the page's « N utilisateurs en cours de
    traitement... »), given the chunk's people once, by the attempt that wrote its outcomes: a retry that
    finds them (its answer was lost) does not count them twice."""
    staged = StagedImport(store, request.staging_prefix)
    index = request.chunk.index
    outcomes_key = staged.outcomes_key(index)
    done = staged.read_outcomes(outcomes_key)
    if done is None:
        done = _process(request, store, staged, platform=platform, policy=policy, passwords=passwords)
        if progress is not None:
            progress.record_progress(request.import_id, phase=ImportPhase.USERS, processed=request.chunk.people)
    return ChunkResult(index=index, outcomes_key=outcomes_key, counts=OutcomeCounts.of(done))


def _process(
    request: ChunkRequest,
    store: StagingStore,
    staged: StagedImport,
    *,
    platform: Platform,
    policy: ImportPolicy,
    passwords: ChunkPasswordIssuer | None,
) -> list[PersonOutcome]:
    """Plans and applies the chunk (or only plans it, for an « Aperçu »); its outcomes staged last."""
    index = request.chunk.index
    outcomes_key = staged.outcomes_key(index)
    if request.dry_run:
        # « Aperçu »: planned through a PlanningPlatform, no initial passwords issued, nothing written.
        people = staged.read_people(request.chunk.key)
        planning = PlanningPlatform(platform)
        plan = plan_upsert(planning, request.uai, people, policy, class_cohorts=staged.class_cohorts())
        apply_upsert(planning, request.uai, plan)
        write_step_plan(
            store, request.staging_prefix, chunk_step(request.chunk.index), chunk_plan(planning, people, plan.outcomes)
        )
        staged.write_outcomes(outcomes_key, plan.outcomes)
        return plan.outcomes
    people = staged.read_people(request.chunk.key)
    # The chunk's slice of the Classes step's read; a chain that staged none reads the school here.
    school = staged.read_accounts(staged.accounts_key(index))
    if school is None:
        school = platform.accounts(request.uai)
    body = staged.read_plan(staged.plan_key(index))
    fresh = body is None
    if body is None:
        plan = plan_upsert(
            platform, request.uai, people, policy, school_accounts=school, class_cohorts=staged.class_cohorts()
        )
        staged.write_plan(staged.plan_key(index), plan)
    else:
        plan = UpsertPlan.model_validate_json(body)
    issued: dict[str, str] = {}
    if passwords is not None:
        # Issue 4: SIECLE people get initial passwords, staged before their accounts are written.
        rows = passwords.issue(
            uai=request.uai,
            staging_prefix=request.staging_prefix,
            chunk_index=index,
            people=people,
            outcomes=[outcome.outcome for outcome in plan.outcomes],
            created=[change.after for change in plan.writes if change.before is None],
            known=school,
        )
        issued = {row.username: row.password for row in rows}
    # The updates and removals may be left to Deprovision's release (one call of each kind for the whole
    # import against Moodle): staged for it before the outcomes, which say the chunk is done.
    done, pending = apply_upsert_until_release(
        platform,
        request.uai,
        plan,
        passwords=issued,
        kept=school,
        looked_up=fresh,
        known_cohorts=staged.read_cohorts(),
        finish_at_release=True,
    )
    staged.write_pending(index, pending)
    staged.write_outcomes(outcomes_key, done)
    return done
