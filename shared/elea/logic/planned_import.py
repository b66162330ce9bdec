"""« Lancer l'importation » and « Annuler » on an « Aperçu » import (issue 8), scoped by the UAI of the
caller's session: another school's import, or an unknown one, is the same « introuvable »."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from elea.errors import EleaError
from elea.logic.staging_layout import staging_prefix
from elea.logic.upload_key import key_candidates
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.upload_flags import DRY_RUN_METADATA, PLANNED_BY_METADATA
from elea.ports.import_store import ImportStore
from elea.ports.staging import StagingStore


class PlannedImportError(EleaError):
    code = "planned_import_error"


def _not_found() -> PlannedImportError:
    return PlannedImportError(
        "Cette importation est introuvable.",
        code="import_not_found",
        hint="Revenez à la page d'accueil et choisissez l'importation dans l'historique.",
    )


def _awaiting(imports: ImportStore, import_id: str, uai: str) -> ImportRecord:
    record = imports.get(import_id)
    if record is None or record.uai is None or record.uai != uai:
        raise _not_found()
    if record.status is ImportStatus.EXPIRED:
        raise _expired()
    if record.status is not ImportStatus.AWAITING_DECISION:
        raise PlannedImportError(
            "Cette importation n'attend plus de décision : elle a déjà été lancée, annulée ou a expiré.",
            code="plan_not_awaiting_decision",
            hint="Déposez à nouveau le fichier d'export pour une nouvelle importation.",
        )
    return record


def _expired() -> PlannedImportError:
    return PlannedImportError(
        "L'aperçu a expiré : le fichier déposé a été supprimé, rien n'a été importé.",
        code="plan_expired",
        hint="Déposez à nouveau le fichier d'export.",
    )


def _close(
    store: StagingStore,
    imports: ImportStore,
    record: ImportRecord,
    at: datetime,
    status: ImportStatus = ImportStatus.CANCELLED,
) -> ImportRecord:
    """Deletes the export at once (it holds children's data) and records the outcome."""
    store.delete(key_candidates(record.upload_key))
    closed = record.model_copy(update={"status": status, "decided_at": at, "export_deleted": True})
    imports.save(closed)
    return closed


def cancel_planned_import(
    import_id: str, uai: str, *, store: StagingStore, imports: ImportStore, now: Callable[[], datetime]
) -> ImportRecord:
    """« Annuler »: nothing is imported and the export is deleted now."""
    return _close(store, imports, _awaiting(imports, import_id, uai), now())


def launch_planned_import(
    import_id: str, uai: str, *, store: StagingStore, imports: ImportStore, now: Callable[[], datetime]
) -> ImportRecord:
    """« Lancer l'importation »: the kept export is rewritten onto itself without the dry-run flag, which
    is a new "Object Created" event: the chain imports it for real, as any drop (a new import id, its
    own report and e-mail). Past the deadline, refused, and the export deleted."""
    record = _awaiting(imports, import_id, uai)
    at = now()
    if record.decision_deadline is not None and at > record.decision_deadline:
        _close(store, imports, record, at, ImportStatus.EXPIRED)
        raise _expired()
    key = next(
        (candidate for candidate in key_candidates(record.upload_key) if store.size(candidate) is not None), None
    )
    if key is None:
        raise PlannedImportError(
            "Le fichier déposé n'est plus disponible : rien n'a été importé.",
            code="upload_missing",
            hint="Déposez à nouveau le fichier d'export.",
        )
    # The upload's own metadata is kept (the web page's upload id and school): the real import is linked to
    # the same upload, and the Parse step's check that the metadata names the key's school still holds.
    kept = store.metadata(key) or {}
    store.copy_in_place(key, {**kept, DRY_RUN_METADATA: "false", PLANNED_BY_METADATA: import_id})
    launched = record.model_copy(update={"status": ImportStatus.LAUNCHED, "decided_at": at})
    imports.save(launched)
    return launched


def expire_planned_import(
    import_id: str, *, store: StagingStore, imports: ImportStore, now: Callable[[], datetime]
) -> bool:
    """Deletes the export of a plan whose deadline passed and marks it expired (the scheduled sweep,
    elea.logic.sweep_plans); True if it did. A plan decided meanwhile is left as it is."""
    record = imports.get(import_id)
    at = now()
    if record is None or record.status is not ImportStatus.AWAITING_DECISION:
        return False
    if record.decision_deadline is None or at <= record.decision_deadline:
        return False
    # The plan's report step deleted its staging; deleted again in case a step left some (a backstop
    # the sweep can afford: it alone may list staging/).
    if record.uai is not None:
        store.delete_prefix(staging_prefix(record.uai, record.import_id))
    _close(store, imports, record, at, ImportStatus.EXPIRED)
    return True
