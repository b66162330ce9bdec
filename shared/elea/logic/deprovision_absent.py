"""Deprovisioning step: suspend the UAI's accounts absent from the file, or hold them all when
there are too many (safety hold, applied later by `elea-import approve`).

Only the accounts whose profile the file's format can carry are compared with it: a SIECLE pupils
file never suspends, nor asks for, the teachers an STS file brought (elea.domain.format_profiles)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from elea.domain.format_profiles import carried_by
from elea.logic.deprovision import plan_and_apply
from elea.logic.owned_record import owned_record
from elea.logic.plan_steps import deprovision_plan
from elea.logic.planning_platform import PlanningPlatform
from elea.logic.sanity_checks import checks_before_suspending, previous_import, same_file_notices
from elea.logic.staged_plan import write_step_plan
from elea.logic.staging_layout import DeprovisionFile, StagedImport
from elea.logic.users import PendingChange, refused_outcome
from elea.models.deprovision_result import DeprovisionResult
from elea.models.deprovision_summary import DeprovisionSummary
from elea.models.import_record import ImportRecord
from elea.models.parse_manifest import ParseManifest
from elea.models.policy import ImportPolicy
from elea.models.sanity_check import SanityCheck
from elea.models.step_inputs import DeprovisionRequest
from elea.ports.import_store import ImportStore
from elea.ports.platform import Account, Platform
from elea.ports.staging import StagingStore

# How far back the previous import is looked for (one query; a school imports a handful of times a year).
_HISTORY = timedelta(days=366)


def deprovision_absent(
    request: DeprovisionRequest,
    *,
    store: StagingStore,
    platform: Platform,
    imports: ImportStore,
    policy: ImportPolicy,
) -> DeprovisionSummary:
    manifest = request.manifest
    uai = manifest.ready_uai()
    staged = StagedImport(store, manifest.staging_prefix or "")
    record, history = _record_and_history(manifest, uai, imports, request.execution_id)
    # Written last, as for chunks: a retry after a lost answer reports what was done.
    done = staged.read_deprovision()
    if done is None:
        # « Aperçu »: the same reads and checks, through the wrapper that records who would be suspended or
        # held; nothing is suspended, nothing held on the record (an approval must never apply a plan).
        planning = PlanningPlatform(platform) if manifest.dry_run else None
        result, checks, notices = _suspend_absent(
            manifest,
            uai,
            staged=staged,
            platform=platform if planning is None else planning,
            history=history,
            record=record,
            policy=policy,
        )
        if planning is not None:
            write_step_plan(store, staged.prefix, "deprovision", deprovision_plan(planning, result.held))
            done = DeprovisionFile(suspended=list(result.suspended), held=list(result.held), notices=notices)
        else:
            done = DeprovisionFile(
                suspended=list(result.suspended),
                held=list(result.held),
                held_people=list(result.held_people),
                checks=checks,
                notices=notices,
            )
        staged.write_deprovision(done)
    # On the record, not only in staging: `approve` needs the held ones after the staging is deleted.
    # Never for an « Aperçu »: an approval must never apply a plan.
    if not manifest.dry_run and (record.held != done.held or record.checks != done.checks):
        imports.save(record.model_copy(update={"held": done.held, "checks": done.checks}))
    return DeprovisionSummary(suspended=len(done.suspended), held=len(done.held), outcomes_key=staged.deprovision_key)


def _suspend_absent(
    manifest: ParseManifest,
    uai: str,
    *,
    staged: StagedImport,
    platform: Platform,
    history: list[ImportRecord],
    record: ImportRecord,
    policy: ImportPolicy,
) -> tuple[DeprovisionResult, list[SanityCheck], list[SanityCheck]]:
    """The real run and the « Aperçu » alike: `platform` is the school's platform, or its PlanningPlatform
    wrapper that records the suspensions instead of making them. Returns the result, the checks failed and
    the notices (the same file as the latest import's)."""
    present = staged.read_present()
    # What the Users chunks left to this release (never for an « Aperçu », which wrote nothing).
    pending = {} if manifest.dry_run else {chunk.index: staged.read_pending(chunk.index) for chunk in manifest.chunks}
    # The school as the Classes step read it (the absent accounts are in no chunk, so untouched since).
    staged_school = staged.read_accounts(staged.school_accounts_key)
    accounts = _comparable(manifest.format, platform.accounts(uai) if staged_school is None else staged_school)
    checks = checks_before_suspending(
        manifest,
        accounts=accounts,
        previous=previous_import(history, record),
        policy=policy,
        history=history,
        fingerprint=record.content_sha256,
    )
    result = plan_and_apply(
        platform,
        uai,
        set(present.ids),
        policy,
        present_logins=set(present.logins),
        school_accounts=accounts,
        known_cohorts=staged.read_cohorts(),
        hold_all=bool(checks),
        pending=[entry.change for entries in pending.values() for entry in entries],
    )
    _refuse_late(staged, manifest, pending, result.refused)
    return result, checks, same_file_notices(manifest, history, record.content_sha256)


def _refuse_late(
    staged: StagedImport, manifest: ParseManifest, pending: dict[int, list[PendingChange]], refused: dict[str, str]
) -> None:
    """A pending change the release's platform refused turns its person's row, in the chunk's staged outcomes,
    into an error (before this step's own file says it is done, so a retry does it again, the same)."""
    if not refused:
        return
    for chunk in manifest.chunks:
        owners = {
            entry.owner: refused[entry.change.after.username]
            for entry in pending.get(chunk.index, [])
            if entry.change.after.username in refused
        }
        if not owners:
            continue
        key = staged.outcomes_key(chunk.index)
        outcomes = staged.read_outcomes(key) or []
        staged.write_outcomes(
            key,
            [
                refused_outcome(outcome, owners[row]) if row in owners else outcome
                for row, outcome in enumerate(outcomes)
            ],
        )


def _record_and_history(
    manifest: ParseManifest, uai: str, imports: ImportStore, execution_id: str
) -> tuple[ImportRecord, list[ImportRecord]]:
    """This execution's own record and the school's imports of the year before it. The record is one of
    those imports, read with them (strongly consistent): read alone only when the manifest does not say
    when it started (a Parse before it did), or when the by-uai index does not list it yet."""
    if manifest.started_at is None:
        record = owned_record(imports, manifest.import_id, execution_id)
        return record, imports.started_after(uai, record.started_at - _HISTORY)
    history = imports.started_after(uai, manifest.started_at - _HISTORY)
    own = next((found for found in history if found.import_id == manifest.import_id), None)
    if own is None or own.execution_id != execution_id:
        # Not listed by the index yet: read alone; or another execution's: owned_record says so.
        own = owned_record(imports, manifest.import_id, execution_id)
    return own, history


def _comparable(file_format: str | None, accounts: Sequence[Account]) -> list[Account]:
    """The school's accounts this file could list: the others are neither absent nor expected."""
    return [account for account in accounts if carried_by(file_format, account.profile)]
