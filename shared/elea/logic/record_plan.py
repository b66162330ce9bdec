"""Report step of an « Aperçu » import: the steps' staged plans become plan.json, the record waits for
« Lancer l'importation » or « Annuler ». The export is kept (it is what a launch imports); the staging
is deleted. Nothing was written to the platform, so there is no report e-mail yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from elea.logic.owned_record import owned_record
from elea.logic.staged_plan import chunk_step, read_step_plan
from elea.logic.staging_layout import StagedImport
from elea.models.cohort_counts import CohortCounts
from elea.models.import_outcome import ImportOutcome
from elea.models.import_plan import ImportPlan, PlannedCohorts
from elea.models.import_record import ImportStatus
from elea.models.import_report import MAX_ISSUES_IN_REPORT
from elea.models.outcome_counts import OutcomeCounts
from elea.models.step_inputs import ReportRequest
from elea.ports.import_store import ImportStore
from elea.ports.staging import StagingStore

_JSON = "application/json"


def plan_json_key(uai: str, import_id: str) -> str:
    return f"reports/{uai}/{import_id}/plan.json"


def read_plan(store: StagingStore, key: str) -> ImportPlan | None:
    body = store.get(key)
    return None if body is None else ImportPlan.model_validate_json(body)


class PlanRecorder:
    def __init__(
        self,
        *,
        store: StagingStore,
        imports: ImportStore,
        now: Callable[[], datetime],
        decision_window: timedelta,
    ) -> None:
        self._store = store
        self._imports = imports
        self._now = now
        self._window = decision_window

    def record(self, request: ReportRequest) -> ImportOutcome:
        manifest = request.manifest
        uai = manifest.ready_uai()
        record = owned_record(self._imports, manifest.import_id, request.execution_id)
        key = plan_json_key(uai, manifest.import_id)
        plan = read_plan(self._store, key) or self._write_plan(request, uai, key)
        counts = sum((chunk.counts for chunk in request.chunks), OutcomeCounts())
        counts = counts.model_copy(update={"suspended": request.deprovision.suspended})
        # The staging goes (people's data); the export stays for the launch, until the deadline.
        if manifest.staging_prefix:
            self._store.delete_prefix(manifest.staging_prefix)
        final = record.model_copy(
            update={
                "status": ImportStatus.AWAITING_DECISION,
                "format": manifest.format,
                "people_count": manifest.people_count,
                "counts": counts,
                "cohorts": request.cohorts,
                "held": [],
                "dry_run": True,
                "plan_key": key,
                "decision_deadline": plan.decision_deadline,
                "finished_at": plan.planned_at,
            }
        )
        # The school is free again, in the same write as the plan's record: the plan waits without holding it,
        # and « Lancer » starts a new import.
        self._imports.save(final, release_school=True)
        return ImportOutcome(
            import_id=manifest.import_id,
            status=ImportStatus.AWAITING_DECISION,
            counts=counts,
            cohorts=request.cohorts,
            held=request.deprovision.held,
            export_deleted=False,
        )

    def _write_plan(self, request: ReportRequest, uai: str, key: str) -> ImportPlan:
        manifest = request.manifest
        prefix = manifest.staging_prefix or ""
        steps = [read_step_plan(self._store, prefix, "classes")]
        steps += [read_step_plan(self._store, prefix, chunk_step(chunk.index)) for chunk in request.chunks]
        steps.append(read_step_plan(self._store, prefix, "deprovision"))
        present = [step for step in steps if step is not None]
        cohorts = next((step.cohorts for step in present if step.cohorts is not None), PlannedCohorts())
        issues = StagedImport(self._store, prefix).read_issues()
        planned_at = self._now()
        plan = ImportPlan(
            import_id=manifest.import_id,
            uai=uai,
            file_name=manifest.file_name,
            format=manifest.format,
            people_count=manifest.people_count,
            planned_at=planned_at,
            decision_deadline=planned_at + self._window,
            cohorts=cohorts.model_copy(update={"unchanged": request.cohorts.unchanged}),
            accounts=[account for step in present for account in step.accounts],
            held=[account for step in present for account in step.held],
            unchanged=sum(step.unchanged for step in present),
            issues=issues[:MAX_ISSUES_IN_REPORT],
            issues_total=len(issues),
        )
        self._store.put(key, plan.model_dump_json(indent=2).encode("utf-8"), _JSON)
        return plan


__all__ = ["CohortCounts", "PlanRecorder", "plan_json_key", "read_plan"]
