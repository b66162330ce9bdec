"""Entry point "UsersChunk" (functions/users/users_handler.py): staging, the school's platform and the
SIECLE people's initial passwords (credentials table) and the import's live progress (imports table)."""

from __future__ import annotations

from dataclasses import dataclass

from elea.composition.platforms import platform_for
from elea.composition.process_cache import process_cached
from elea.config.accounts_settings import UsersStepSettings
from elea.credentials.chunk_passwords import ChunkPasswordIssuer
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.dynamodb.user_passwords import DynamoDbUserPasswordStore
from elea.dal.s3.staging import S3StagingStore
from elea.models.policy import ImportPolicy
from elea.ports.import_store import ImportProgressStore
from elea.ports.platform import Platform
from elea.ports.staging import StagingStore


@dataclass(frozen=True)
class UsersAdapters:
    store: StagingStore
    passwords: ChunkPasswordIssuer
    policy: ImportPolicy
    # The page's live progress (issue 8): each chunk adds its people to the import record.
    progress: ImportProgressStore
    settings: UsersStepSettings

    def platform(self, uai: str) -> Platform:
        return platform_for(uai, self.settings)


@process_cached
def users_adapters(settings: UsersStepSettings) -> UsersAdapters:
    staging = S3StagingStore(settings.import_bucket)
    return UsersAdapters(
        store=staging,
        passwords=ChunkPasswordIssuer(
            passwords=DynamoDbUserPasswordStore(settings.credentials_table),
            hashing=settings.hashing(),
            staging=staging,
            renewal=settings.siecle_initial_passwords,
        ),
        policy=settings.policy(),
        progress=DynamoDbImportStore(settings.imports_table),
        settings=settings,
    )
