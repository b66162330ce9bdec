"""Parse step: claim the import, read the dropped file and stage it as chunks of people.

Exactly once: the import id is derived from the S3 object (bucket, key, version, sequencer), and
the claim is a conditional write. Another execution for the same object (EventBridge delivers at
least once) gets DUPLICATE and touches nothing; a retry of the claiming execution proceeds and
overwrites the same staged keys.

Two imports of one school never interleave: after the claim, the school's lease is taken
(elea.logic.school_lease); while another import holds it, SchoolImportBusy makes the state machine wait.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from elea.errors import EleaError, PlatformError, RosterRefused
from elea.establishments.establishment import Establishment
from elea.logic.file_fingerprint import file_sha256
from elea.logic.school_lease import take_school
from elea.logic.staging_layout import PresentAccounts, StagedImport, staging_prefix
from elea.logic.upload_key import file_name_of_key, key_candidates, uai_of_key, uai_of_key_or_none
from elea.logic.upload_metadata import check_upload_metadata, web_upload_id
from elea.logic.usernames import propose_usernames
from elea.models.import_record import ImportPhase, ImportRecord, ImportStatus
from elea.models.issue import Issue, Severity
from elea.models.parse_manifest import ChunkRef, ParseManifest, ParseStatus
from elea.models.person import Person
from elea.models.roster import Roster, RosterFormat
from elea.models.sanity_check import SanityCheck
from elea.models.step_failure import ImportFailure
from elea.models.step_inputs import ParseRequest
from elea.models.upload_flags import is_dry_run
from elea.ports.establishment_store import EstablishmentStore
from elea.ports.import_store import ImportStore
from elea.ports.staging import StagingStore
from elea.roster.guard import check_size
from elea.roster.reader import read_roster
from elea.roster.school_name import school_name_warning
from elea.roster.uai_check import ensure_roster_matches_uai


def _school_hint(import_id: str) -> str:
    return (
        "Vérifiez que le fichier est l'export de votre établissement. Si c'est bien le cas, votre référent Éléa "
        f"peut appliquer les suspensions retenues (elea-import approve {import_id}). Sinon, déposez l'export de votre "
        "établissement (ENT, console d'administration : Imports / Exports, « Export classique »)."
    )


@dataclass(frozen=True)
class ParseLimits:
    chunk_size: int
    max_upload_bytes: int
    # Past this many row errors the file is refused (too_many_errors); template parameter MaxRowErrors.
    max_row_errors: int


def parse_upload(
    request: ParseRequest,
    *,
    store: StagingStore,
    imports: ImportStore,
    establishments: EstablishmentStore,
    limits: ParseLimits,
    now: Callable[[], datetime],
) -> ParseManifest:
    event = request.event
    import_id = event.import_id()
    file_name = file_name_of_key(event.key)
    base = ParseManifest(
        status=ParseStatus.READY, import_id=import_id, bucket=event.bucket, upload_key=event.key, file_name=file_name
    )
    uai = uai_of_key_or_none(event.key)
    metadata = _metadata(store, event.key)
    upload_id = web_upload_id(metadata)
    claimed = imports.claim(
        ImportRecord(
            import_id=import_id,
            execution_id=request.execution_id,
            bucket=event.bucket,
            upload_key=event.key,
            file_name=file_name,
            uai=uai,
            status=ImportStatus.RUNNING,
            started_at=now(),
            upload_id=upload_id,
        )
    )
    if claimed.execution_id != request.execution_id:
        return base.model_copy(update={"status": ParseStatus.DUPLICATE, "uai": claimed.uai})
    base = base.model_copy(update={"started_at": claimed.started_at})
    if upload_id is not None:
        # The page that sent the file finds its import (even a refused one) by this link; what it may
        # read of it is still decided by the record's UAI.
        imports.link_upload(upload_id, import_id)
    if uai is not None:
        # Before anything is read or staged: a waiting import costs one conditional write per retry.
        take_school(imports, uai, request.execution_id, now)
    try:
        if uai is not None:
            check_upload_metadata(metadata, uai, file_name)
        manifest, fingerprint, registered = _stage(base, store=store, establishments=establishments, limits=limits)
    except PlatformError:
        raise  # transient: Step Functions retries the step
    except EleaError as refusal:
        return base.model_copy(
            update={
                "status": ParseStatus.REFUSED,
                "uai": uai,
                "failure": ImportFailure(code=refusal.code, message=refusal.message, hint=refusal.hint),
            }
        )
    if (claimed.content_sha256, claimed.establishment) != (fingerprint, registered):
        # Only the fingerprint: the next imports compare with it, the content is deleted with the export.
        # The school as read here, for the report e-mail. The live progress moves on in the same write.
        imports.save(
            claimed.model_copy(update={"content_sha256": fingerprint, "establishment": registered}),
            phase=ImportPhase.CLASSES,
            people=manifest.people_count,
        )
    else:
        imports.record_progress(import_id, phase=ImportPhase.CLASSES, people=manifest.people_count)
    return manifest


def _metadata(store: StagingStore, key: str) -> dict[str, str] | None:
    for candidate in key_candidates(key):
        metadata = store.metadata(candidate)
        if metadata is not None:
            return metadata
    return None


def _stage(
    base: ParseManifest, *, store: StagingStore, establishments: EstablishmentStore, limits: ParseLimits
) -> tuple[ParseManifest, str, Establishment | None]:
    """The manifest of the staged file, the file's fingerprint, and the school's registry entry when it
    was read (None otherwise)."""
    uai = uai_of_key(base.upload_key)
    upload_key, size = _find_upload(store, base.upload_key, base.file_name)
    # Refused from its size alone, before it is downloaded into the function's /tmp.
    check_size(size, limits.max_upload_bytes, base.file_name)
    dry_run = is_dry_run(store.metadata(upload_key))
    roster, fingerprint = _read(store, upload_key, base.file_name, limits)
    # Before anything is written: another school's file is refused, another school's rows set aside.
    roster = ensure_roster_matches_uai(roster, uai, base.file_name)
    checks: list[SanityCheck] = []
    registered: Establishment | None = None
    if roster.format is RosterFormat.ENT_CSV and not roster.school_uais:
        registered = establishments.get(uai)
        warning = school_name_warning(
            roster.structure_names, None if registered is None else registered.name, uai, base.file_name
        )
        if warning is not None:
            roster = roster.model_copy(update={"issues": [warning, *roster.issues]})
            checks.append(SanityCheck(code=warning.code, message=warning.message, hint=_school_hint(base.import_id)))
    people = propose_usernames(roster.people)

    prefix = staging_prefix(uai, base.import_id)
    staged = StagedImport(store, prefix)
    chunks = _write_chunks(staged, people, limits.chunk_size)
    staged.write_classes(roster.classes)
    staged.write_issues(roster.issues)
    staged.write_present(_present(people, roster.issues))
    manifest = base.model_copy(
        update={
            "uai": uai,
            "upload_key": upload_key,
            "staging_prefix": prefix,
            "format": roster.format.value,
            "people_count": len(people),
            "classes_count": len(roster.classes),
            "error_rows": error_rows(roster.issues),
            "warnings": sum(1 for issue in roster.issues if issue.severity is Severity.WARNING),
            "chunks": chunks,
            "profiles": dict(Counter(person.profile.value for person in people)),
            "content_date": roster.content_date,
            "checks": checks,
            "dry_run": dry_run,
        }
    )
    return manifest, fingerprint, registered


def _find_upload(store: StagingStore, key: str, file_name: str) -> tuple[str, int]:
    for candidate in key_candidates(key):
        size = store.size(candidate)
        if size is not None:
            return candidate, size
    raise RosterRefused(
        f"Le fichier {file_name} n'est plus dans le dépôt.",
        code="upload_missing",
        file=file_name,
        hint="Déposez à nouveau le fichier d'export.",
    )


def _read(store: StagingStore, key: str, file_name: str, limits: ParseLimits) -> tuple[Roster, str]:
    # The reader detects the format from the content; the name is kept for its messages only.
    with tempfile.TemporaryDirectory(prefix="elea-upload-") as workdir:
        path = Path(workdir) / file_name
        store.download(key, path)
        roster = read_roster(path, max_bytes=limits.max_upload_bytes, max_errors=limits.max_row_errors)
        return roster, file_sha256(path)


def _write_chunks(staged: StagedImport, people: Sequence[Person], chunk_size: int) -> list[ChunkRef]:
    chunks: list[ChunkRef] = []
    for index, start in enumerate(range(0, len(people), chunk_size)):
        part = people[start : start + chunk_size]
        key = staged.people_key(index)
        staged.write_people(key, part)
        chunks.append(ChunkRef(index=index, key=key, people=len(part)))
    return chunks


def _present(people: Sequence[Person], issues: Sequence[Issue]) -> PresentAccounts:
    ids = [person.id for person in people]
    ids += [issue.person_id for issue in issues if issue.severity is Severity.ERROR and issue.person_id]
    logins = [person.login for person in people if person.login]
    return PresentAccounts(ids=sorted(set(ids)), logins=sorted(set(logins)))


def error_rows(issues: Sequence[Issue]) -> int:
    """Rows with at least one error (a row with two errors is one erroneous row)."""
    lines = {issue.line for issue in issues if issue.severity is Severity.ERROR and issue.line is not None}
    unlined = sum(1 for issue in issues if issue.severity is Severity.ERROR and issue.line is None)
    return len(lines) + unlined
