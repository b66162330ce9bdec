"""`approve IMPORT_ID` wired to its AWS adapters: the import record and the platform table (DynamoDB)."""

from __future__ import annotations

from datetime import UTC, datetime

from elea.config.step_settings import ApprovalSettings
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.logic.approve_held import Approval, approve_held_suspensions


def approve_import(import_id: str, settings: ApprovalSettings) -> Approval:
    return approve_held_suspensions(
        import_id,
        imports=DynamoDbImportStore(settings.imports_table),
        platform=DynamoDbPlatform(settings.platform_table, settings.platform_id),
        now=lambda: datetime.now(UTC),
    )
