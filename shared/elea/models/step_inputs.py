"""What each state of statemachine/import.asl.json hands its Lambda (the "Payload" of each Task).

The contract tests in tests/unit/contracts check that one step's output validates as the next
step's input, and that the ASL selects exactly these fields.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from elea.models.chunk_result import ChunkResult
from elea.models.cohort_counts import CohortCounts
from elea.models.deprovision_summary import DeprovisionSummary
from elea.models.object_created import ObjectCreated
from elea.models.parse_manifest import ChunkRef, ParseManifest
from elea.models.step_failure import StepError


class ParseRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    event: ObjectCreated
    # $$.Execution.Id: a retry of the same execution may proceed, another execution may not.
    execution_id: str


class ClassesRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    manifest: ParseManifest


class ChunkRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    import_id: str
    uai: str
    staging_prefix: str
    chunk: ChunkRef
    dry_run: bool = False


class DeprovisionRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    execution_id: str
    manifest: ParseManifest


class ReportRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    execution_id: str
    manifest: ParseManifest
    cohorts: CohortCounts
    chunks: list[ChunkResult]
    deprovision: DeprovisionSummary


class FailureRequest(BaseModel):
    """The whole execution state when an import cannot complete: reached from the Choice (refused
    file, `manifest.failure` set) or from any Catch (`error` set, maybe before any manifest)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event: ObjectCreated
    execution_id: str
    manifest: ParseManifest | None = None
    # The classes step's answer, present once it completed: what it wrote before a later failure.
    cohorts: CohortCounts | None = None
    error: StepError | None = None
