"""Task "Classes": one cohort per class of the file."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.composition.classes import classes_adapters
from elea.config.environment import validated_env
from elea.config.step_settings import ClassesSettings
from elea.logic.import_classes import import_classes
from elea.models.step_inputs import ClassesRequest
from elea.observability import logger, metrics, tracer


@validated_env(ClassesSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: ClassesSettings) -> dict[str, Any]:
    request = ClassesRequest.model_validate(event)
    adapters = classes_adapters(settings)
    counts = import_classes(request, store=adapters.store, platform=adapters.platform(request.manifest.ready_uai()))
    metrics.add_metric(name="CohortsSynced", unit=MetricUnit.Count, value=counts.created + counts.unchanged)
    logger.info("cohorts synced", extra={"import_id": request.manifest.import_id, "cohorts": counts.model_dump()})
    return counts.model_dump(mode="json")
