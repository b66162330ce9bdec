"""Entry point "Deprovision" (functions/users/deprovision_handler.py): staging, the import record (held
suspensions) and the school's platform."""

from __future__ import annotations

from dataclasses import dataclass

from elea.composition.platforms import platform_for
from elea.composition.process_cache import process_cached
from elea.config.step_settings import DeprovisionSettings
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.staging import S3StagingStore
from elea.models.policy import ImportPolicy
from elea.ports.import_store import ImportStore
from elea.ports.platform import Platform
from elea.ports.staging import StagingStore


@dataclass(frozen=True)
class DeprovisionAdapters:
    store: StagingStore
    imports: ImportStore
    policy: ImportPolicy
    settings: DeprovisionSettings

    def platform(self, uai: str) -> Platform:
        return platform_for(uai, self.settings)


@process_cached
def deprovision_adapters(settings: DeprovisionSettings) -> DeprovisionAdapters:
    return DeprovisionAdapters(
        store=S3StagingStore(settings.import_bucket),
        imports=DynamoDbImportStore(settings.imports_table),
        policy=settings.policy(),
        settings=settings,
    )
