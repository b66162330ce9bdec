"""Task "Deprovision": suspend (or hold) the UAI's accounts absent from the file."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.composition.deprovision import deprovision_adapters
from elea.config.environment import validated_env
from elea.config.step_settings import DeprovisionSettings
from elea.logic.deprovision_absent import deprovision_absent
from elea.models.step_inputs import DeprovisionRequest
from elea.observability import logger, metrics, tracer


@validated_env(DeprovisionSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: DeprovisionSettings) -> dict[str, Any]:
    request = DeprovisionRequest.model_validate(event)
    adapters = deprovision_adapters(settings)
    summary = deprovision_absent(
        request,
        store=adapters.store,
        platform=adapters.platform(request.manifest.ready_uai()),
        imports=adapters.imports,
        policy=adapters.policy,
    )
    metrics.add_metric(name="AbsentAccounts", unit=MetricUnit.Count, value=summary.suspended + summary.held)
    logger.info(
        "absent accounts handled",
        extra={"import_id": request.manifest.import_id, "suspended": summary.suspended, "held": summary.held},
    )
    return summary.model_dump(mode="json")
