"""Classes step: one cohort per class of the file (created if missing, emptied if gone)."""

from __future__ import annotations

from elea.logic.cohorts import sync_cohorts
from elea.logic.plan_steps import classes_plan
from elea.logic.planning_platform import PlanningPlatform
from elea.logic.staged_plan import write_step_plan
from elea.logic.staging_layout import StagedImport
from elea.models.cohort_counts import CohortCounts
from elea.models.step_inputs import ClassesRequest
from elea.ports.platform import Platform
from elea.ports.staging import StagingStore


def import_classes(request: ClassesRequest, *, store: StagingStore, platform: Platform) -> CohortCounts:
    manifest = request.manifest
    uai = manifest.ready_uai()
    classes = StagedImport(store, manifest.staging_prefix or "").read_classes()
    if manifest.dry_run:
        # « Aperçu »: the same sync, its writes recorded instead of applied.
        planning = PlanningPlatform(platform)
        sync = sync_cohorts(planning, uai, classes)
        plan = classes_plan(planning, platform.cohorts(uai))
        write_step_plan(store, manifest.staging_prefix or "", "classes", plan)
        return CohortCounts(created=sync.created, unchanged=sync.unchanged, emptied=sync.emptied)
    # Safe to retry: creating an existing cohort keeps it, emptying an empty one is a no-op.
    sync = sync_cohorts(platform, uai, classes)
    return CohortCounts(created=sync.created, unchanged=sync.unchanged, emptied=sync.emptied)
