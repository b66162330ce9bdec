"""The import record a chain step may write: the one its own execution claimed. Another execution's
record (the same file dropped again, or a retry after the record was taken over) is left alone."""

from __future__ import annotations

from elea.errors import ConcurrentChange
from elea.models.import_record import ImportRecord
from elea.ports.import_store import ImportStore


def owned_record(imports: ImportStore, import_id: str, execution_id: str) -> ImportRecord:
    record = imports.get(import_id)
    if record is None or record.execution_id != execution_id:
        raise ConcurrentChange(
            "L'import n'appartient pas à cette exécution.", hint="L'étape sera rejouée automatiquement."
        )
    return record
