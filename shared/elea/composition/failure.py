"""Entry point "ReportFailure" (functions/report/failure_handler.py): record, export deletion, e-mail."""

from __future__ import annotations

from elea.composition.process_cache import process_cached
from elea.composition.report_mail import mail_notifier
from elea.config.accounts_settings import ReportMailSettings
from elea.credentials.clock import utc_now
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.staging import S3StagingStore
from elea.logic.report_failure import FailureReporter


@process_cached
def failure_reporter(settings: ReportMailSettings) -> FailureReporter:
    return FailureReporter(
        store=S3StagingStore(settings.import_bucket),
        imports=DynamoDbImportStore(settings.imports_table),
        # The failure e-mail to the establishment's own mailbox, in plain French (issue 4).
        notifier=mail_notifier(settings),
        now=utc_now,
    )
