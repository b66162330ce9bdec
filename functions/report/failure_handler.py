"""Task "ReportFailure": record why the import did not complete, delete the export and staging."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.composition.report_step import mail_notifier
from elea.config.accounts_settings import ReportMailSettings
from elea.config.environment import validated_env
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.staging import S3StagingStore
from elea.logic.report_failure import FailureReporter
from elea.models.step_inputs import FailureRequest
from elea.observability import logger, metrics, tracer


def _reporter(settings: ReportMailSettings) -> FailureReporter:
    return FailureReporter(
        store=S3StagingStore(settings.import_bucket),
        imports=DynamoDbImportStore(settings.imports_table),
        # The failure e-mail to the establishment's own mailbox, in plain French (issue 4).
        notifier=mail_notifier(settings),
        now=lambda: datetime.now(UTC),
    )


@validated_env(ReportMailSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: ReportMailSettings) -> dict[str, Any]:
    request = FailureRequest.model_validate(event)
    outcome = _reporter(settings).report(request)
    metrics.add_metric(name=f"Imports{outcome.status.value.capitalize()}", unit=MetricUnit.Count, value=1)
    # The error's name is the technical code, for the log only; its cause is never logged (it may hold data).
    error = None if request.error is None else request.error.error
    logger.info(
        "import not completed",
        extra={"import_id": outcome.import_id, "status": outcome.status.value, "error": error},
    )
    return outcome.model_dump(mode="json")
