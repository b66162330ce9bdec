"""The report e-mail's content, rebuilt from the import record and its report.json: nothing else to keep."""

from __future__ import annotations

from elea.credentials.login_sheets import login_sheets_csv_count
from elea.credentials.publish_sheets import login_sheets_keys
from elea.mail.import_summary import (
    CohortCounts,
    ImportSummary,
    ReportCounts,
    ReportedClassSpelling,
    ReportedFailure,
    ReportedNotice,
    reported_issues,
)
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.import_report import ImportReport
from elea.ports.import_store import ImportStore
from elea.ports.staging import StagingStore

_TECHNICAL = ReportedFailure(
    code="technical_failure",
    message="L'importation n'a pas pu aboutir à cause d'une erreur technique.",
    hint="Déposez à nouveau le fichier d'export ; si l'erreur persiste, contactez le support académique.",
)


class ImportRecordSummaries:
    def __init__(self, *, imports: ImportStore, reports: StagingStore) -> None:
        self._imports = imports
        self._reports = reports

    def summary(self, import_id: str) -> ImportSummary | None:
        record = self._imports.get(import_id)
        if record is None or record.uai is None or record.status is ImportStatus.RUNNING:
            return None
        if record.dry_run and record.status is not ImportStatus.FAILED:
            return None  # an « Aperçu » wrote nothing: there is no import report to send
        return self.summary_of(record)

    def summary_of(self, record: ImportRecord) -> ImportSummary:
        """Counts and opaque codes only: names and logins stay in the per-row report behind its link."""
        uai = record.uai or ""
        report = self._report(record)
        first, errors = reported_issues(report.issues if report is not None else [])
        # report.json lists at most MAX_ISSUES_IN_REPORT issues; the rest are counted, not listed.
        unlisted = 0 if report is None else max(0, report.issues_total - len(report.issues))
        html_key, csv_key = login_sheets_keys(uai, record.import_id)
        has_sheets = self._reports.size(html_key) is not None
        sheets_csv = self._reports.get(csv_key) if has_sheets else None
        failure = None
        if record.status in (ImportStatus.REFUSED, ImportStatus.FAILED):
            failure = (
                ReportedFailure(
                    code=record.failure.code,
                    message=record.failure.message,
                    hint=record.failure.hint,
                    what_was_written=tuple(record.failure.what_was_written()),
                )
                if record.failure is not None
                else _TECHNICAL
            )
        counts = record.counts.model_dump() if record.counts is not None else {}
        cohorts = record.cohorts.model_dump() if record.cohorts is not None else {}
        return ImportSummary(
            import_id=record.import_id,
            uai=uai,
            counts=ReportCounts(**counts),
            cohorts=CohortCounts(**cohorts),
            held=len(record.held),
            first_issues=first,
            issue_count=errors + unlisted,
            report_key=record.report.csv_key if record.report is not None else None,
            login_sheets_key=html_key if has_sheets else None,
            login_sheets_csv_key=csv_key if has_sheets else None,
            login_sheet_count=login_sheets_csv_count(sheets_csv) if sheets_csv is not None else 0,
            export_deleted=record.export_deleted,
            failure=failure,
            checks=tuple(
                ReportedFailure(code=check.code, message=check.message, hint=check.hint) for check in record.checks
            ),
            notices=tuple(
                ReportedNotice(code=notice.code, message=notice.message, hint=notice.hint)
                for notice in (report.notices if report is not None else [])
            ),
            class_spellings=tuple(
                ReportedClassSpelling(file_class=spelling.file_class, cohort_name=spelling.cohort_name)
                for spelling in (report.class_spellings if report is not None else [])
            ),
            establishment=record.establishment
            if record.establishment is not None and record.establishment.uai == uai
            else None,
        )

    def _report(self, record: ImportRecord) -> ImportReport | None:
        if record.report is None:
            return None
        body = self._reports.get(record.report.json_key)
        return None if body is None else ImportReport.model_validate_json(body)
