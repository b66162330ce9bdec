"""Task "Deprovision": suspend (or hold) the UAI's accounts absent from the file."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.config.environment import validated_env
from elea.config.step_settings import DeprovisionSettings
from elea.dal.aws_clients import dynamodb_client
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.dal.s3.staging import S3StagingStore
from elea.logic.deprovision_absent import deprovision_absent
from elea.models.step_inputs import DeprovisionRequest
from elea.observability import logger, metrics, tracer


@validated_env(DeprovisionSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: DeprovisionSettings) -> dict[str, Any]:
    request = DeprovisionRequest.model_validate(event)
    summary = deprovision_absent(
        request,
        store=S3StagingStore(settings.import_bucket),
        platform=DynamoDbPlatform(settings.platform_table, settings.platform_id, client=dynamodb_client()),
        imports=DynamoDbImportStore(settings.imports_table),
        policy=settings.policy(),
    )
    metrics.add_metric(name="AbsentAccounts", unit=MetricUnit.Count, value=summary.suspended + summary.held)
    logger.info(
        "absent accounts handled",
        extra={"import_id": request.manifest.import_id, "suspended": summary.suspended, "held": summary.held},
    )
    return summary.model_dump(mode="json")
