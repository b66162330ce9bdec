"""Classes step: one cohort per class of the file (created if missing, emptied if gone), then the one read
of the school's accounts, staged as each Users chunk's slice, and the school's cohorts as read (with their
platform ids), staged for the Users and Deprovision steps."""

from __future__ import annotations

from elea.logic.cohorts import sync_cohorts_and_read
from elea.logic.plan_steps import classes_plan
from elea.logic.planning_platform import PlanningPlatform
from elea.logic.school_read import stage_school_accounts
from elea.logic.staged_plan import write_step_plan
from elea.logic.staging_layout import StagedImport
from elea.logic.users import expected_accounts
from elea.models.cohort_counts import CohortCounts
from elea.models.cohort_sync import CohortSync
from elea.models.step_inputs import ClassesRequest
from elea.ports.platform import Platform
from elea.ports.staging import StagingStore


def import_classes(request: ClassesRequest, *, store: StagingStore, platform: Platform) -> CohortCounts:
    manifest = request.manifest
    uai = manifest.ready_uai()
    staged = StagedImport(store, manifest.staging_prefix or "")
    classes = staged.read_classes()
    # Read once: the platform is told what the file expects, then each chunk's slice is cut from them.
    people = {chunk.index: staged.read_people(chunk.key) for chunk in manifest.chunks}
    expected = expected_accounts(uai, (person for chunk_people in people.values() for person in chunk_people))
    if manifest.dry_run:
        # « Aperçu »: the same sync, its writes recorded instead of applied; the slices staged as usual.
        planning = PlanningPlatform(platform)
        sync, accounts, cohorts = sync_cohorts_and_read(planning, uai, classes, expected)
        _stage_spellings(staged, sync)
        stage_school_accounts(staged, manifest.chunks, accounts, people)
        staged.write_cohorts(cohorts)
        plan = classes_plan(planning, platform.cohorts(uai))
        write_step_plan(store, manifest.staging_prefix or "", "classes", plan)
        return CohortCounts(created=sync.created, unchanged=sync.unchanged, emptied=sync.emptied)
    # Safe to retry: creating an existing cohort keeps it, emptying an empty one is a no-op, and the
    # slices are written again from a fresh read.
    sync, accounts, cohorts = sync_cohorts_and_read(platform, uai, classes, expected)
    _stage_spellings(staged, sync)
    stage_school_accounts(staged, manifest.chunks, accounts, people)
    # The cohorts' platform ids, for the later steps' membership removals (no second read of them).
    staged.write_cohorts(cohorts)
    return CohortCounts(created=sync.created, unchanged=sync.unchanged, emptied=sync.emptied)


def _stage_spellings(staged: StagedImport, sync: CohortSync) -> None:
    """The classes kept under an existing cohort's spelling: the Users step files their people there, the
    report says so. Only when there are some (most imports have none: no extra write)."""
    if sync.spellings:
        staged.write_class_spellings(sync.spellings)
