"""`approve IMPORT_ID` (operator CLI, local or --deployed): the import record and the school's platform."""

from __future__ import annotations

from datetime import UTC, datetime

from elea.composition.platforms import platform_for
from elea.config.step_settings import ApprovalSettings
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.logic.approve_held import Approval, approve_held_suspensions


def approve_import(import_id: str, settings: ApprovalSettings) -> Approval:
    return approve_held_suspensions(
        import_id,
        imports=DynamoDbImportStore(settings.imports_table),
        platforms=lambda uai: platform_for(uai, settings),
        now=lambda: datetime.now(UTC),
    )
