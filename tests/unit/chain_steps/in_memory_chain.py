"""The chain's use cases run in order on in-memory fakes, as the state machine would call them."""

from __future__ import annotations

from dataclasses import dataclass, field

from elea.logic.deprovision_absent import deprovision_absent
from elea.logic.import_chunk import import_chunk
from elea.logic.import_classes import import_classes
from elea.logic.parse_upload import ParseLimits, parse_upload
from elea.models.chunk_result import ChunkResult
from elea.models.cohort_counts import CohortCounts
from elea.models.deprovision_summary import DeprovisionSummary
from elea.models.import_record import ImportRecord
from elea.models.parse_manifest import ParseManifest
from elea.models.policy import ImportPolicy
from elea.models.step_inputs import ChunkRequest, ClassesRequest, DeprovisionRequest, ReportRequest
from tests.fakes.memory_establishments import InMemoryEstablishmentStore
from tests.fakes.memory_import_store import InMemoryImportStore
from tests.fakes.memory_platform import InMemoryPlatform
from tests.fakes.memory_staging import InMemoryStagingStore
from tests.unit.chain_steps.steps import EXECUTION, now, parse_request


class RecordingNotifier:
    def __init__(self) -> None:
        self.records: list[ImportRecord] = []

    def import_finished(self, record: ImportRecord) -> None:
        self.records.append(record)


@dataclass
class InMemoryChain:
    store: InMemoryStagingStore = field(default_factory=InMemoryStagingStore)
    imports: InMemoryImportStore = field(default_factory=InMemoryImportStore)
    platform: InMemoryPlatform = field(default_factory=InMemoryPlatform)
    establishments: InMemoryEstablishmentStore = field(default_factory=InMemoryEstablishmentStore)
    notifier: RecordingNotifier = field(default_factory=RecordingNotifier)
    policy: ImportPolicy = field(default_factory=ImportPolicy)
    limits: ParseLimits = field(
        default_factory=lambda: ParseLimits(chunk_size=10, max_upload_bytes=1_000_000, max_row_errors=1000)
    )
    # Every manifest Parse made, so a test whose chain fails after Parse can hand it to the failure report.
    manifests: list[ParseManifest] = field(default_factory=list)

    def until_report(self, key: str, body: bytes, *, sequencer: str = "01") -> ReportRequest:
        """Drops the file and runs Parse, Classes, Users and Deprovision; returns the Report input."""
        self.store.objects[key] = body
        request = parse_request(key)
        request = request.model_copy(
            update={
                "event": request.event.model_copy(
                    update={
                        "detail": request.event.detail.model_copy(
                            update={"object": request.event.detail.object.model_copy(update={"sequencer": sequencer})}
                        )
                    }
                )
            }
        )
        manifest = parse_upload(
            request,
            store=self.store,
            imports=self.imports,
            establishments=self.establishments,
            limits=self.limits,
            now=now,
        )
        self.manifests.append(manifest)
        cohorts = import_classes(ClassesRequest(manifest=manifest), store=self.store, platform=self.platform)
        chunks = [self.chunk(manifest, index) for index in range(len(manifest.chunks))]
        deprovision = self.deprovision(manifest)
        return ReportRequest(
            execution_id=EXECUTION, manifest=manifest, cohorts=cohorts, chunks=chunks, deprovision=deprovision
        )

    def chunk(self, manifest: ParseManifest, index: int) -> ChunkResult:
        request = ChunkRequest(
            import_id=manifest.import_id,
            uai=manifest.ready_uai(),
            staging_prefix=manifest.staging_prefix or "",
            chunk=manifest.chunks[index],
            dry_run=manifest.dry_run,  # as the ASL's ItemSelector passes it
        )
        return import_chunk(
            request, store=self.store, platform=self.platform, policy=self.policy, progress=self.imports
        )

    def deprovision(self, manifest: ParseManifest) -> DeprovisionSummary:
        return deprovision_absent(
            DeprovisionRequest(execution_id=EXECUTION, manifest=manifest),
            store=self.store,
            platform=self.platform,
            imports=self.imports,
            policy=self.policy,
        )


__all__ = ["CohortCounts", "InMemoryChain", "RecordingNotifier"]
