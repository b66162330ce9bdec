"""Task "Report": report files and import record, then the export and staging are deleted."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.composition.report import import_reporter, plan_recorder
from elea.config.accounts_settings import ReportStepSettings
from elea.config.environment import validated_env
from elea.models.import_outcome import ImportOutcome
from elea.models.step_inputs import ReportRequest
from elea.observability import logger, metrics, tracer

# Metric name per outcome count: one CloudWatch series each, summed over imports.
OUTCOME_METRICS = {
    "created": "AccountsCreated",
    "updated": "AccountsUpdated",
    "unchanged": "AccountsUnchanged",
    "protected": "AccountsProtected",
    "suspended": "AccountsSuspended",
    "skipped": "PeopleSkipped",
    "errors": "RowsInError",
}


def record_outcome_metrics(outcome: ImportOutcome) -> None:
    for field, name in OUTCOME_METRICS.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=getattr(outcome.counts, field))
    metrics.add_metric(name="CohortsCreated", unit=MetricUnit.Count, value=outcome.cohorts.created)
    metrics.add_metric(name="CohortsEmptied", unit=MetricUnit.Count, value=outcome.cohorts.emptied)
    metrics.add_metric(name="SuspensionsHeld", unit=MetricUnit.Count, value=outcome.held)
    metrics.add_metric(name=f"Imports{outcome.status.value.capitalize()}", unit=MetricUnit.Count, value=1)


@validated_env(ReportStepSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: ReportStepSettings) -> dict[str, Any]:
    request = ReportRequest.model_validate(event)
    if request.manifest.dry_run:
        # « Aperçu » (issue 8): the plan is recorded and waits for a decision; nothing was written.
        planned = plan_recorder(settings).record(request)
        metrics.add_metric(name="ImportsPlanned", unit=MetricUnit.Count, value=1)
        return planned.model_dump(mode="json")
    outcome = import_reporter(settings).report(request)
    record_outcome_metrics(outcome)
    return outcome.model_dump(mode="json")
