"""Map item "UsersChunk": reconcile one staged chunk of people with the platform."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.composition.users import users_adapters
from elea.config.accounts_settings import UsersStepSettings
from elea.config.environment import validated_env
from elea.logic.import_chunk import import_chunk
from elea.models.step_inputs import ChunkRequest
from elea.observability import logger, metrics, tracer


@validated_env(UsersStepSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: UsersStepSettings) -> dict[str, Any]:
    request = ChunkRequest.model_validate(event)
    adapters = users_adapters(settings)
    result = import_chunk(
        request,
        store=adapters.store,
        platform=adapters.platform(request.uai),
        policy=adapters.policy,
        passwords=adapters.passwords,
        progress=adapters.progress,
    )
    metrics.add_metric(name="PeopleProcessed", unit=MetricUnit.Count, value=request.chunk.people)
    logger.info(
        "chunk imported",
        extra={"import_id": request.import_id, "chunk": result.index, "counts": result.counts.model_dump()},
    )
    return result.model_dump(mode="json")
