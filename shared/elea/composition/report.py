"""Entry point "Report" (functions/report/report_handler.py): report files, import record, e-mail, login sheets."""

from __future__ import annotations

from elea.composition.process_cache import process_cached
from elea.composition.report_mail import login_sheets_publisher, mail_notifier
from elea.config.accounts_settings import ReportMailSettings, ReportStepSettings
from elea.credentials.clock import utc_now
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.staging import S3StagingStore
from elea.logic.build_report import ImportReporter
from elea.logic.record_plan import PlanRecorder


@process_cached
def import_reporter(settings: ReportMailSettings) -> ImportReporter:
    return ImportReporter(
        store=S3StagingStore(settings.import_bucket),
        imports=DynamoDbImportStore(settings.imports_table),
        # The report e-mail to the establishment's own mailbox (issue 4).
        notifier=mail_notifier(settings),
        now=utc_now,
        login_sheets=login_sheets_publisher(settings),
    )


@process_cached
def plan_recorder(settings: ReportStepSettings) -> PlanRecorder:
    """« Aperçu » imports: the plan recorded, the export kept until the decision's deadline."""
    return PlanRecorder(
        store=S3StagingStore(settings.import_bucket),
        imports=DynamoDbImportStore(settings.imports_table),
        now=utc_now,
        decision_window=settings.plan_decision_window,
    )
