"""Task "ReportFailure": record why the import did not complete, delete the export and staging."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.composition.failure import failure_reporter
from elea.config.accounts_settings import ReportMailSettings
from elea.config.environment import validated_env
from elea.models.step_inputs import FailureRequest
from elea.observability import logger, metrics, tracer


@validated_env(ReportMailSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: ReportMailSettings) -> dict[str, Any]:
    request = FailureRequest.model_validate(event)
    outcome = failure_reporter(settings).report(request)
    metrics.add_metric(name=f"Imports{outcome.status.value.capitalize()}", unit=MetricUnit.Count, value=1)
    # The error's name is the technical code, for the log only; its cause is never logged (it may hold data).
    error = None if request.error is None else request.error.error
    logger.info(
        "import not completed",
        extra={"import_id": outcome.import_id, "status": outcome.status.value, "error": error},
    )
    return outcome.model_dump(mode="json")
