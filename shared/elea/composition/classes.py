"""Entry point "Classes" (functions/classes/classes_handler.py): the staging and the school's platform."""

from __future__ import annotations

from dataclasses import dataclass

from elea.composition.platforms import platform_for
from elea.composition.process_cache import process_cached
from elea.config.step_settings import ClassesSettings
from elea.dal.s3.staging import S3StagingStore
from elea.ports.platform import Platform
from elea.ports.staging import StagingStore


@dataclass(frozen=True)
class ClassesAdapters:
    store: StagingStore
    settings: ClassesSettings

    def platform(self, uai: str) -> Platform:
        return platform_for(uai, self.settings)


@process_cached
def classes_adapters(settings: ClassesSettings) -> ClassesAdapters:
    return ClassesAdapters(store=S3StagingStore(settings.import_bucket), settings=settings)
