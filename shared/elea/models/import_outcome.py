from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from elea.models.cohort_counts import CohortCounts
from elea.models.import_record import ImportStatus
from elea.models.outcome_counts import OutcomeCounts


class ImportOutcome(BaseModel):
    """Output of the report and failure-report steps: the end of the execution, counts only."""

    model_config = ConfigDict(frozen=True)

    import_id: str
    status: ImportStatus
    counts: OutcomeCounts
    cohorts: CohortCounts
    held: int
    export_deleted: bool
