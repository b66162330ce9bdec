"""Task "Parse": claim the import, read the dropped export, stage its people in chunks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from elea.config.environment import validated_env
from elea.config.step_settings import ParseSettings
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.staging import S3StagingStore
from elea.logic.parse_upload import ParseLimits, parse_upload
from elea.models.step_inputs import ParseRequest
from elea.observability import logger, metrics, tracer


@validated_env(ParseSettings)
@logger.inject_lambda_context
@metrics.log_metrics(capture_cold_start_metric=True)
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: Any, settings: ParseSettings) -> dict[str, Any]:
    manifest = parse_upload(
        ParseRequest.model_validate(event),
        store=S3StagingStore(settings.import_bucket),
        imports=DynamoDbImportStore(settings.imports_table),
        establishments=DynamoDbEstablishmentStore(settings.establishments_table),
        limits=ParseLimits(chunk_size=settings.chunk_size, max_upload_bytes=settings.max_upload_bytes),
        now=lambda: datetime.now(UTC),
    )
    metrics.add_metric(name="PeopleInExport", unit=MetricUnit.Count, value=manifest.people_count)
    logger.info(
        "export parsed",
        extra={
            "import_id": manifest.import_id,
            "status": manifest.status.value,
            "people": manifest.people_count,
            "chunks": len(manifest.chunks),
            "error_rows": manifest.error_rows,
            "failure_code": None if manifest.failure is None else manifest.failure.code,
        },
    )
    return manifest.model_dump(mode="json")
