"""Output of the parse step: a small manifest (keys and counts), never people."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from elea.models.sanity_check import SanityCheck
from elea.models.step_failure import ImportFailure


class ParseStatus(StrEnum):
    READY = "ready"  # the chunks are staged: go on with classes and users
    DUPLICATE = "duplicate"  # another execution already owns this object: touch nothing
    REFUSED = "refused"  # the whole file is refused: go to the failure report


class ChunkRef(BaseModel):
    """One staged chunk of at most 1,000 people: the Map iterates over these."""

    model_config = ConfigDict(frozen=True)

    index: int
    key: str
    people: int


class ParseManifest(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: ParseStatus
    import_id: str
    bucket: str
    upload_key: str
    file_name: str
    # None only when the key itself did not name a valid UAI.
    uai: str | None = None
    staging_prefix: str | None = None
    format: str | None = None
    people_count: int = 0
    classes_count: int = 0
    error_rows: int = 0
    warnings: int = 0
    chunks: list[ChunkRef] = []
    failure: ImportFailure | None = None
    # For the checks before suspending (logic/sanity_checks.py): people of the file per profile, the
    # newest date its content carries, and the checks the Parse step already failed (school name).
    profiles: dict[str, int] = {}
    content_date: date | None = None
    checks: list[SanityCheck] = []
    # « Aperçu » (issue 8): every step plans through a PlanningPlatform and nothing is written.
    dry_run: bool = False
    # When the import record was claimed: the Deprovision step reads the school's history from it, and
    # its own record with that history (no read of the record alone). None from a Parse before it.
    started_at: datetime | None = None

    def ready_uai(self) -> str:
        """The UAI of a manifest that passed parsing; the later steps run only on those."""
        if self.status is not ParseStatus.READY or self.uai is None or self.staging_prefix is None:
            raise ValueError(f"manifest {self.import_id} is {self.status}, not ready")
        return self.uai
