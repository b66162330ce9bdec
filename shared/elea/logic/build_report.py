"""Report step: aggregate the staged outcomes into report.json + report.csv and the import record,
then delete the dropped export and every staged file, then notify.

Each stage can be retried after a crash: a report already written is reused (the staged outcomes
it was built from may be gone), deletions tolerate missing objects, and the record is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from elea.credentials.sheets_publisher import LoginSheetsPublisher
from elea.logic.owned_record import owned_record
from elea.logic.parse_upload import error_rows
from elea.logic.report_csv import (
    check_rows,
    held_rows,
    issue_rows,
    json_rows,
    outcome_rows,
    render_csv,
    report_classes,
)
from elea.logic.staging_layout import StagedImport, delete_export_and_staging, report_keys, write_report_json
from elea.logic.upload_key import key_candidates
from elea.models.import_outcome import ImportOutcome
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.import_report import MAX_ISSUES_IN_REPORT, ImportReport
from elea.models.outcome import PersonOutcome
from elea.models.outcome_counts import OutcomeCounts
from elea.models.step_inputs import ReportRequest
from elea.ports.import_notifier import ImportNotifier
from elea.ports.import_store import ImportStore
from elea.ports.staging import StagingStore

CSV = "text/csv; charset=utf-8"


class ImportReporter:
    def __init__(
        self,
        *,
        store: StagingStore,
        imports: ImportStore,
        notifier: ImportNotifier,
        now: Callable[[], datetime],
        login_sheets: LoginSheetsPublisher | None = None,
    ) -> None:
        self._store = store
        self._imports = imports
        self._notifier = notifier
        self._now = now
        self._login_sheets = login_sheets

    def report(self, request: ReportRequest) -> ImportOutcome:
        manifest = request.manifest
        uai = manifest.ready_uai()
        record = owned_record(self._imports, manifest.import_id, request.execution_id)
        keys = report_keys(uai, manifest.import_id)
        report = self._existing_report(keys.json_key) or self._write_report(request, record, uai)

        if self._login_sheets is not None:
            # Issue 4: SIECLE people's initial passwords, staged per chunk, become the manager's sheets
            # beside the report before the staging (and so the clear passwords in it) is deleted.
            self._login_sheets.publish(
                uai=uai,
                import_id=manifest.import_id,
                staging_prefix=manifest.staging_prefix or "",
                chunk_indexes=[chunk.index for chunk in request.chunks],
            )

        delete_export_and_staging(self._store, key_candidates(manifest.upload_key), manifest.staging_prefix)

        # The held suspensions are already on the record (saved by the deprovisioning step).
        final = record.model_copy(
            update={
                "status": ImportStatus.COMPLETED,
                "finished_at": report.finished_at,
                "format": report.format,
                "people_count": report.people_count,
                "counts": report.counts,
                "cohorts": report.cohorts,
                "report": keys,
                "export_deleted": True,
                "content_date": manifest.content_date,
                "checks": report.checks,
            }
        )
        # The school is free for its next import once this one's record is final: both in one write.
        self._imports.save(final, release_school=True)
        self._notifier.import_finished(final)
        return ImportOutcome(
            import_id=final.import_id,
            status=final.status,
            counts=report.counts,
            cohorts=report.cohorts,
            held=report.held,
            export_deleted=True,
        )

    def _existing_report(self, json_key: str) -> ImportReport | None:
        body = self._store.get(json_key)
        return None if body is None else ImportReport.model_validate_json(body)

    def _write_report(self, request: ReportRequest, record: ImportRecord, uai: str) -> ImportReport:
        manifest = request.manifest
        staged = StagedImport(self._store, manifest.staging_prefix or "")
        outcomes: list[PersonOutcome] = []
        for chunk in sorted(request.chunks, key=lambda chunk: chunk.index):
            outcomes.extend(staged.read_outcomes(chunk.outcomes_key) or [])
        deprovision = staged.read_deprovision()
        suspended = [] if deprovision is None else deprovision.suspended
        held = [] if deprovision is None else deprovision.held
        checks = [] if deprovision is None else deprovision.checks
        held_people = [] if deprovision is None else deprovision.held_people
        issues = staged.read_issues()
        rows = (
            outcome_rows(outcomes)
            + outcome_rows(suspended)
            + issue_rows(issues)
            + check_rows(checks)
            + held_rows(held, held_people)
        )
        people_rows = json_rows([*outcomes, *suspended], issues, held, held_people)

        counts = OutcomeCounts.of(outcomes) + OutcomeCounts.of(suspended) + OutcomeCounts(errors=error_rows(issues))
        report = ImportReport(
            import_id=manifest.import_id,
            uai=uai,
            file_name=manifest.file_name,
            format=manifest.format,
            status=ImportStatus.COMPLETED,
            started_at=record.started_at,
            finished_at=self._now(),
            people_count=manifest.people_count,
            counts=counts,
            cohorts=request.cohorts,
            held=len(held),
            issues=issues[:MAX_ISSUES_IN_REPORT],
            issues_total=len(issues),
            checks=checks,
            rows=people_rows,
            classes=report_classes(outcomes),
            held_people=held_people,
            class_spellings=staged.read_class_spellings(),
            notices=[] if deprovision is None else deprovision.notices,
        )
        keys = report_keys(uai, manifest.import_id)
        self._store.put(keys.csv_key or "", render_csv(rows), CSV)
        # JSON last: its presence means the whole report is written.
        write_report_json(self._store, keys.json_key, report)
        return report
