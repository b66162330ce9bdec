"""Entry point "SweepFunction" (functions/sweep/sweep_handler.py): the imports table and the bucket."""

from __future__ import annotations

from dataclasses import dataclass

from elea.composition.process_cache import process_cached
from elea.config.sweep_settings import SweepSettings
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.staging import S3StagingStore


@dataclass(frozen=True)
class SweepAdapters:
    imports: DynamoDbImportStore
    store: S3StagingStore


@process_cached
def sweep_adapters(settings: SweepSettings) -> SweepAdapters:
    return SweepAdapters(
        imports=DynamoDbImportStore(settings.imports_table), store=S3StagingStore(settings.import_bucket)
    )
