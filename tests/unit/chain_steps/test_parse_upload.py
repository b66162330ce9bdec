"""Parse step: claim once, stage chunks, refuse whole files in French."""

from __future__ import annotations

import pytest

from elea.logic.parse_upload import ParseLimits, parse_upload
from elea.logic.staging_layout import StagedImport
from elea.models.import_record import ImportStatus
from elea.models.parse_manifest import ParseStatus
from tests.fakes.memory_establishments import InMemoryEstablishmentStore
from tests.fakes.memory_import_store import InMemoryImportStore
from tests.fakes.memory_staging import InMemoryStagingStore
from tests.fixtures.chain_rosters import siecle_zip
from tests.unit.chain_steps.steps import OTHER_EXECUTION, OTHER_UAI, UAI, now, parse_request

KEY = f"imports/{UAI}/ElevesSansAdresses.zip"
LIMITS = ParseLimits(chunk_size=10, max_upload_bytes=1_000_000)


@pytest.fixture
def store() -> InMemoryStagingStore:
    return InMemoryStagingStore({KEY: siecle_zip(UAI, 25)})


def test_first_delivery_claims_the_import_and_stages_chunks(store: InMemoryStagingStore) -> None:
    # GIVEN a SIECLE export of 25 students dropped for its school
    imports = InMemoryImportStore()
    # WHEN the parse step runs
    manifest = parse_upload(
        parse_request(KEY),
        store=store,
        imports=imports,
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    # THEN the import is claimed, and people are staged in chunks of at most 10, never in the manifest
    assert manifest.status is ParseStatus.READY
    assert imports.records[manifest.import_id].status is ImportStatus.RUNNING
    assert [chunk.people for chunk in manifest.chunks] == [10, 10, 5]
    assert manifest.people_count == 25
    staged = StagedImport(store, manifest.staging_prefix or "")
    people = [person for chunk in manifest.chunks for person in staged.read_people(chunk.key)]
    assert len({person.id for person in people}) == 25
    assert all(person.proposed_username for person in people)  # SIECLE: no ENT login
    assert set(staged.read_present().ids) == {person.id for person in people}
    assert "MARTIN" not in manifest.model_dump_json()


def test_another_execution_for_the_same_object_is_a_duplicate_and_touches_nothing(
    store: InMemoryStagingStore,
) -> None:
    imports = InMemoryImportStore()
    first = parse_upload(
        parse_request(KEY),
        store=store,
        imports=imports,
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    writes_before = store.calls["put"]
    # WHEN EventBridge delivers the same object again, to another execution
    second = parse_upload(
        parse_request(KEY, execution=OTHER_EXECUTION),
        store=store,
        imports=imports,
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    # THEN it is a duplicate of the same import id, and it neither read nor wrote anything
    assert second.status is ParseStatus.DUPLICATE
    assert second.import_id == first.import_id
    assert store.calls["put"] == writes_before
    assert store.calls["download"] == 1


def test_a_retry_of_the_claiming_execution_proceeds_and_rewrites_the_same_keys(store: InMemoryStagingStore) -> None:
    imports = InMemoryImportStore()
    first = parse_upload(
        parse_request(KEY),
        store=store,
        imports=imports,
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    keys = store.keys("staging/")
    again = parse_upload(
        parse_request(KEY),
        store=store,
        imports=imports,
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    assert again == first
    assert store.keys("staging/") == keys


@pytest.mark.parametrize(
    ("key", "code"),
    [
        (f"imports/{UAI[:7]}A/ElevesSansAdresses.zip", "invalid_uai"),
        ("imports/ElevesSansAdresses.zip", "invalid_upload_key"),
        (f"imports/{UAI}/sub/ElevesSansAdresses.zip", "invalid_upload_key"),
        (f"imports/{UAI}/..", "invalid_upload_key"),
    ],
)
def test_a_key_that_names_no_valid_school_is_refused(key: str, code: str) -> None:
    store = InMemoryStagingStore({key: siecle_zip(UAI, 3)})
    manifest = parse_upload(
        parse_request(key),
        store=store,
        imports=InMemoryImportStore(),
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    assert manifest.status is ParseStatus.REFUSED
    assert manifest.failure is not None
    assert manifest.failure.code == code
    assert store.keys("staging/") == []


def test_a_file_naming_another_school_is_refused_before_anything_is_staged() -> None:
    # GIVEN a SIECLE export of another school dropped under this school's UAI
    key = f"imports/{OTHER_UAI}/ElevesSansAdresses.zip"
    store = InMemoryStagingStore({key: siecle_zip(UAI, 3)})
    manifest = parse_upload(
        parse_request(key),
        store=store,
        imports=InMemoryImportStore(),
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    assert manifest.status is ParseStatus.REFUSED
    assert manifest.failure is not None
    assert manifest.failure.code == "uai_mismatch"
    assert store.keys("staging/") == []


def test_an_oversized_file_is_refused_without_downloading_it() -> None:
    store = InMemoryStagingStore({KEY: b"x" * 2_000})
    limits = ParseLimits(chunk_size=10, max_upload_bytes=1_000)
    manifest = parse_upload(
        parse_request(KEY),
        store=store,
        imports=InMemoryImportStore(),
        establishments=InMemoryEstablishmentStore(),
        limits=limits,
        now=now,
    )
    assert manifest.failure is not None
    assert manifest.failure.code == "file_too_large"
    assert store.calls["download"] == 0


def test_a_url_encoded_key_finds_the_dropped_file() -> None:
    # GIVEN "export (1).zip" announced as S3 event keys may be: URL-encoded
    store = InMemoryStagingStore({f"imports/{UAI}/export (1).zip": siecle_zip(UAI, 3)})
    request = parse_request(f"imports/{UAI}/export+%281%29.zip")
    manifest = parse_upload(
        request,
        store=store,
        imports=InMemoryImportStore(),
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    assert manifest.status is ParseStatus.READY
    assert manifest.upload_key == f"imports/{UAI}/export (1).zip"
