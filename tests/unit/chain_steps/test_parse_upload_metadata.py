"""Parse step, issue 8: the web page's upload metadata must name the key's school (fail closed), and the
upload id is linked to the import so the page finds it; progress starts at « classes »."""

from __future__ import annotations

import pytest

from elea.logic.parse_upload import ParseLimits, parse_upload
from elea.models.import_record import ImportPhase, ImportStatus
from elea.models.parse_manifest import ParseStatus
from tests.fakes.memory_establishments import InMemoryEstablishmentStore
from tests.fakes.memory_import_store import InMemoryImportStore
from tests.fakes.memory_staging import InMemoryStagingStore
from tests.fixtures.chain_rosters import siecle_zip
from tests.unit.chain_steps.steps import OTHER_UAI, UAI, now, parse_request

KEY = f"imports/{UAI}/ElevesSansAdresses.zip"
LIMITS = ParseLimits(chunk_size=10, max_upload_bytes=1_000_000, max_row_errors=1000)
UPLOAD_ID = "0123456789abcdef0123456789abcdef"


def _store(metadata: dict[str, str] | None) -> InMemoryStagingStore:
    store = InMemoryStagingStore({KEY: siecle_zip(UAI, 12)})
    if metadata is not None:
        store.user_metadata[KEY] = metadata
    return store


def test_a_web_upload_for_the_keys_school_is_read_linked_and_progress_starts() -> None:
    imports = InMemoryImportStore()
    store = _store({"upload-id": UPLOAD_ID, "uai": UAI, "dry-run": "false"})
    manifest = parse_upload(
        parse_request(KEY),
        store=store,
        imports=imports,
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    assert manifest.status is ParseStatus.READY
    assert imports.import_of_upload(UPLOAD_ID) == manifest.import_id
    record = imports.records[manifest.import_id]
    assert record.upload_id == UPLOAD_ID
    assert record.progress is not None
    assert record.progress.phase is ImportPhase.CLASSES
    assert record.progress.people == 12


@pytest.mark.parametrize(
    "metadata",
    [
        {"upload-id": UPLOAD_ID, "uai": OTHER_UAI},  # another school's session, under this school's key
        {"upload-id": UPLOAD_ID},  # the school is missing
        {"uai": UAI},  # the upload id is missing
        {"upload-id": "not-an-id", "uai": UAI},
    ],
)
def test_web_upload_metadata_not_matching_the_key_is_refused_before_reading(metadata: dict[str, str]) -> None:
    imports = InMemoryImportStore()
    store = _store(metadata)
    manifest = parse_upload(
        parse_request(KEY),
        store=store,
        imports=imports,
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    # THEN the file is refused, in French, and not a byte of it was read or staged
    assert manifest.status is ParseStatus.REFUSED
    assert manifest.failure is not None
    assert manifest.failure.code == "upload_uai_mismatch"
    assert manifest.failure.hint
    assert store.calls["download"] == 0
    assert store.keys("staging/") == []
    assert imports.records[manifest.import_id].status is ImportStatus.RUNNING  # the failure step closes it


def test_an_operators_drop_without_metadata_is_read_as_before() -> None:
    imports = InMemoryImportStore()
    manifest = parse_upload(
        parse_request(KEY),
        store=_store(None),
        imports=imports,
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    assert manifest.status is ParseStatus.READY
    assert imports.uploads == {}
