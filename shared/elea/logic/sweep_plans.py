"""The scheduled sweep (issue 8, item 6): an « Aperçu » nobody decided on loses its export at its deadline.

The export holds children's personal data: it must not wait for someone to come back to the page. Every
few minutes (an EventBridge schedule in AWS, a timer in `elea-import serve`) the plans past their deadline
are expired one by one through `expire_planned_import`, which reads the record again and leaves alone a
plan decided meanwhile. One plan that cannot be expired now does not stop the others; the run then fails,
so it is retried and seen, and the next run tries again (expiring is idempotent)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from elea.errors import EleaError, PlatformError
from elea.logic.planned_import import expire_planned_import
from elea.ports.import_store import ExpiringPlans
from elea.ports.staging import StagingStore


class SweepResult(BaseModel):
    """Counts only (the function's answer and its log): no school, no file name."""

    model_config = ConfigDict(frozen=True)

    due: int
    expired: int
    failed: int


class SweepIncomplete(PlatformError):
    code = "sweep_incomplete"

    def __init__(self, result: SweepResult) -> None:
        super().__init__(
            f"{result.failed} aperçu(s) sur {result.due} n'ont pas pu être supprimés ; le prochain passage "
            "recommencera.",
            hint="Vérifiez l'accès de la fonction au compartiment et à la table des imports.",
        )
        self.result = result


def sweep_expired_plans(*, imports: ExpiringPlans, store: StagingStore, now: Callable[[], datetime]) -> SweepResult:
    """Expires every plan whose deadline passed; raises SweepIncomplete after trying them all if one failed."""
    due = imports.awaiting_decision_until(now())
    expired = failed = 0
    for import_id in due:
        try:
            expired += expire_planned_import(import_id, store=store, imports=imports, now=now)
        except EleaError:
            failed += 1
    result = SweepResult(due=len(due), expired=expired, failed=failed)
    if failed:
        raise SweepIncomplete(result)
    return result
