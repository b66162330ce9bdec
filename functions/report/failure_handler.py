"""Task "ReportFailure": record why the import did not complete, delete the export and staging."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.config.environment import validated_env
from elea.config.step_settings import ReportSettings
from elea.dal.dynamodb_import_store import DynamoDbImportStore
from elea.dal.log_notifier import LogOnlyNotifier
from elea.dal.s3_staging import S3StagingStore
from elea.logic.report_failure import FailureReporter
from elea.models.step_inputs import FailureRequest
from elea.observability import logger, metrics, tracer


def _reporter(bucket: str, table: str) -> FailureReporter:
    # The failure e-mail (issue 4) replaces the log-only notifier here.
    return FailureReporter(
        store=S3StagingStore(bucket),
        imports=DynamoDbImportStore(table),
        notifier=LogOnlyNotifier(),
        now=lambda: datetime.now(UTC),
    )


@validated_env(ReportSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: ReportSettings) -> dict[str, Any]:
    request = FailureRequest.model_validate(event)
    outcome = _reporter(settings.import_bucket, settings.imports_table).report(request)
    metrics.add_metric(name=f"Imports{outcome.status.value.capitalize()}", unit=MetricUnit.Count, value=1)
    logger.info("import not completed", extra={"import_id": outcome.import_id, "status": outcome.status.value})
    return outcome.model_dump(mode="json")
