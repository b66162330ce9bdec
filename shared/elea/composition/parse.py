"""Entry point "Parse" (functions/upload/parse_handler.py): the bucket, the imports table, the registry (read)."""

from __future__ import annotations

from dataclasses import dataclass

from elea.composition.process_cache import process_cached
from elea.config.step_settings import ParseSettings
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.staging import S3StagingStore
from elea.logic.parse_upload import ParseLimits
from elea.ports.establishment_store import EstablishmentStore
from elea.ports.import_store import ImportStore
from elea.ports.staging import StagingStore


@dataclass(frozen=True)
class ParseAdapters:
    store: StagingStore
    imports: ImportStore
    establishments: EstablishmentStore
    limits: ParseLimits


@process_cached
def parse_adapters(settings: ParseSettings) -> ParseAdapters:
    return ParseAdapters(
        store=S3StagingStore(settings.import_bucket),
        imports=DynamoDbImportStore(settings.imports_table),
        establishments=DynamoDbEstablishmentStore(settings.establishments_table),
        limits=ParseLimits(
            chunk_size=settings.chunk_size,
            max_upload_bytes=settings.max_upload_bytes,
            max_row_errors=settings.max_row_errors,
        ),
    )
