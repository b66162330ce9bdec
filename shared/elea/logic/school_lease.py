"""Two imports of one school never interleave: the parse step takes the school's lease, the report steps
(success or failure) give it back.

A second import of the same school meanwhile fails its parse step with SchoolImportBusy, which the state
machine retries with a growing wait (about 75 minutes in all) before giving up with a French report. Why
wait rather than refuse at once: a school that drops a corrected file while the first one runs expects the
corrected one to be applied, after the first, not to be told to come back later.

The lease lasts as long as the state machine lets an execution run (its TimeoutSeconds, checked by a
contract test): an execution stopped without a report cannot hold the school longer than that.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from elea.errors import SchoolImportBusy
from elea.ports.import_store import ImportStore

SCHOOL_LEASE = timedelta(hours=3)


def take_school(imports: ImportStore, uai: str, execution_id: str, now: Callable[[], datetime]) -> None:
    holder = imports.acquire_school(uai, execution_id, now=now(), lease=SCHOOL_LEASE)
    if holder is not None:
        # The holder is an execution ARN: opaque, no personal data.
        raise SchoolImportBusy(
            f"Un autre import de l'établissement {uai} est en cours : celui-ci attend qu'il se termine.",
            hint="Rien à faire : l'import reprendra de lui-même dès que le précédent sera terminé.",
        )


def busy_failure_message(uai: str | None) -> str:
    school = "de l'établissement" if uai is None else f"de l'établissement {uai}"
    return (
        f"Un autre import {school} était en cours et ne s'est pas terminé à temps : ce fichier n'a pas été "
        "importé, pour ne pas mélanger deux imports. Aucune donnée du fichier n'a été conservée."
    )
