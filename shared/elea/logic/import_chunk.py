"""Users step, one Map iteration: reconcile one staged chunk of people with the platform."""

from __future__ import annotations

from elea.logic.staging_layout import StagedImport
from elea.logic.users import upsert_people
from elea.models.chunk_result import ChunkResult
from elea.models.outcome_counts import OutcomeCounts
from elea.models.policy import ImportPolicy
from elea.models.step_inputs import ChunkRequest
from elea.ports.platform import Platform
from elea.ports.staging import StagingStore


def import_chunk(
    request: ChunkRequest, *, store: StagingStore, platform: Platform, policy: ImportPolicy
) -> ChunkResult:
    staged = StagedImport(store, request.staging_prefix)
    outcomes_key = staged.outcomes_key(request.chunk.index)
    # The outcomes are written last: if they exist, this chunk was applied by an attempt whose
    # answer was lost. Reporting them again (rather than re-running, which would now say
    # "unchanged") keeps the report exact; the platform writes were idempotent anyway.
    done = staged.read_outcomes(outcomes_key)
    if done is None:
        people = staged.read_people(request.chunk.key)
        done = upsert_people(platform, request.uai, people, policy)
        staged.write_outcomes(outcomes_key, done)
    return ChunkResult(index=request.chunk.index, outcomes_key=outcomes_key, counts=OutcomeCounts.of(done))
