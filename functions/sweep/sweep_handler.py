"""Scheduled every few minutes (EventBridge): expires the « Aperçu » plans past their deadline, so their
exports (children's data) are deleted even if nobody comes back to the page. Counts only in the log."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.composition.sweep import sweep_adapters
from elea.config.environment import validated_env
from elea.config.sweep_settings import SweepSettings
from elea.credentials.clock import utc_now
from elea.logic.sweep_plans import SweepIncomplete, SweepResult, sweep_expired_plans
from elea.observability import logger, metrics, tracer


@validated_env(SweepSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: SweepSettings) -> dict[str, Any]:
    adapters = sweep_adapters(settings)
    try:
        result = sweep_expired_plans(imports=adapters.imports, store=adapters.store, now=utc_now)
    except SweepIncomplete as incomplete:
        _count(incomplete.result)
        # Raised again: the asynchronous invocation is retried (template: EventInvokeConfig) and alarms see it.
        logger.error("plan sweep incomplete", extra=incomplete.result.model_dump())
        raise
    _count(result)
    logger.info("plan sweep done", extra=result.model_dump())
    return result.model_dump(mode="json")


def _count(result: SweepResult) -> None:
    metrics.add_metric(name="PlansExpired", unit=MetricUnit.Count, value=result.expired)
    if result.failed:
        metrics.add_metric(name="PlansExpiryFailed", unit=MetricUnit.Count, value=result.failed)
