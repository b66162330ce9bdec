"""Applying the suspensions an import held back (`elea-import approve IMPORT_ID`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from elea.errors import EleaError
from elea.logic.deprovision import apply_held
from elea.models.import_record import ImportStatus
from elea.models.outcome import Outcome
from elea.models.outcome_counts import OutcomeCounts
from elea.ports.import_store import ImportStore
from elea.ports.platform import Platform


class ImportNotFound(EleaError):
    code = "import_not_found"


class NothingToApprove(EleaError):
    code = "nothing_held"


class HoldSuperseded(EleaError):
    code = "hold_superseded"


class Approval(BaseModel):
    model_config = ConfigDict(frozen=True)

    import_id: str
    uai: str
    suspended: int


def approve_held_suspensions(
    import_id: str, *, imports: ImportStore, platforms: Callable[[str], Platform], now: Callable[[], datetime]
) -> Approval:
    """`platforms(uai)`: the school's platform (known once the record is read)."""
    record = imports.get(import_id)
    if record is None or record.uai is None:
        raise ImportNotFound(
            f"Aucun import ne porte l'identifiant {import_id}.",
            hint="Copiez l'identifiant affiché à la fin de l'import.",
        )
    if not record.held:
        raise NothingToApprove(
            f"L'import {import_id} n'a aucune suspension en attente.",
            hint="Les suspensions ont déjà été appliquées ou n'ont pas été retenues.",
        )
    # A later completed import compared the platform with a newer file: the people this hold lists may be
    # back in it (reactivated). Suspending them now would lock out pupils the school just re-exported.
    newer = [
        later.import_id
        for later in imports.started_after(record.uai, record.started_at)
        if later.status is ImportStatus.COMPLETED
    ]
    if newer:
        raise HoldSuperseded(
            f"Les suspensions retenues par l'import {import_id} ne sont plus à jour : l'import {newer[-1]} "
            "a été fait depuis pour le même établissement. Rien n'a été suspendu.",
            hint="Approuvez les suspensions retenues par le dernier import s'il y en a, ou déposez à nouveau "
            "l'export complet de l'établissement.",
        )
    # Suspending an already suspended account is a no-op: safe to run again after a crash.
    outcomes = apply_held(platforms(record.uai), record.uai, record.held)
    suspended = sum(1 for outcome in outcomes if outcome.outcome is Outcome.SUSPENDED)
    counts = (record.counts or OutcomeCounts()) + OutcomeCounts(suspended=suspended)
    imports.save(
        record.model_copy(
            update={
                "held": [],
                "approved_at": now(),
                "approved_suspensions": record.approved_suspensions + suspended,
                "counts": counts,
            }
        )
    )
    return Approval(import_id=import_id, uai=record.uai, suspended=suspended)
