"""Failure report: an import that cannot complete still ends with a record, and its export is
deleted. Reached from the parse Choice (refused file) or from any Catch (technical failure,
possibly before the parse step wrote anything)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pydantic import ValidationError

from elea.errors import PlatformError
from elea.logic.school_lease import busy_failure_message
from elea.logic.staging_layout import (
    StagedImport,
    delete_export_and_staging,
    report_keys,
    staging_prefix,
    write_report_json,
)
from elea.logic.upload_key import file_name_of_key, key_candidates, uai_of_key_or_none
from elea.models.cohort_counts import CohortCounts
from elea.models.import_outcome import ImportOutcome
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.import_report import ImportReport
from elea.models.outcome_counts import OutcomeCounts
from elea.models.parse_manifest import ParseStatus
from elea.models.step_failure import ImportFailure, StepError
from elea.models.step_inputs import FailureRequest
from elea.models.written_before_failure import WrittenBeforeFailure
from elea.ports.import_notifier import ImportNotifier
from elea.ports.import_store import ImportStore
from elea.ports.staging import StagingStore

# Error names (the class names Step Functions catches) a school can understand and act on. Anything else
# is a technical failure named by its error alone.
PLATFORM_DOWN_ERRORS = frozenset({"PlatformUnavailable", "MoodleUnavailable"})
SCHOOL_BUSY_ERRORS = frozenset({"SchoolImportBusy"})
NOT_REGISTERED_ERRORS = frozenset({"EstablishmentNotRegistered"})


def technical_failure(
    error: StepError | None, uai: str | None = None, written: WrittenBeforeFailure | None = None
) -> ImportFailure:
    # French only: the error's name (a technical code) picks the message and goes to the log, its cause
    # nowhere (it may carry a stack trace, hence data from the file).
    name = "inconnue" if error is None else error.error
    if name in PLATFORM_DOWN_ERRORS:
        return ImportFailure(
            code="platform_unavailable",
            message="La plateforme Éléa n'a pas répondu, même après plusieurs essais espacés : l'import s'est "
            "arrêté. Le fichier a été supprimé ; ce qui avait déjà été enregistré sur la plateforme y reste.",
            hint="Déposez à nouveau le même fichier un peu plus tard : le nouvel import terminera le travail "
            "sans rien créer en double.",
            written=written,
        )
    if name in SCHOOL_BUSY_ERRORS:
        return ImportFailure(
            code="school_import_busy",
            message=busy_failure_message(uai),
            hint="Attendez le rapport de l'import en cours, puis déposez à nouveau ce fichier s'il doit être appliqué.",
        )
    if name in NOT_REGISTERED_ERRORS:
        return ImportFailure(
            code="establishment_not_registered",
            message="L'établissement n'est pas inscrit au registre de l'académie : sa plateforme Éléa est "
            "inconnue, rien n'a été importé. Le fichier a été supprimé.",
            hint="Demandez son inscription à l'académie, puis déposez à nouveau le fichier.",
        )
    return ImportFailure(
        code="technical_failure",
        message="L'importation n'a pas pu aboutir à cause d'une erreur technique.",
        hint="Déposez à nouveau le fichier d'export ; si l'erreur persiste, contactez le support académique.",
        written=written,
    )


def written_before_failure(store: StagingStore, request: FailureRequest) -> WrittenBeforeFailure | None:
    """What the steps that finished had applied, read from their staged results before staging is
    deleted. None when the import never passed parsing: then nothing was written."""
    manifest = request.manifest
    if manifest is None or manifest.status is not ParseStatus.READY or manifest.staging_prefix is None:
        return None
    if manifest.dry_run:
        return None  # an « Aperçu » writes nothing to the platform, whatever step failed
    staged = StagedImport(store, manifest.staging_prefix)
    counts = OutcomeCounts()
    chunks_done = 0
    left_to_release = 0
    try:
        for chunk in manifest.chunks:
            outcomes = staged.read_outcomes(staged.outcomes_key(chunk.index))
            if outcomes is not None:
                counts += OutcomeCounts.of(outcomes)
                chunks_done += 1
        deprovision = staged.read_deprovision()
        if deprovision is None:
            # Updates a chunk left to the release that never finished: not counted as made (the
            # interruption sentence says some may be).
            left_to_release = sum(len(staged.read_pending(chunk.index)) for chunk in manifest.chunks)
    except (PlatformError, ValidationError):
        # The last resort must still record the failure: say the writes are not known exactly.
        return WrittenBeforeFailure(interrupted=True)
    cohorts = request.cohorts or CohortCounts()
    finished = request.cohorts is not None and chunks_done == len(manifest.chunks) and deprovision is not None
    return WrittenBeforeFailure(
        created=counts.created,
        updated=max(0, counts.updated - left_to_release),
        suspended=counts.suspended + (0 if deprovision is None else len(deprovision.suspended)),
        cohorts_created=cohorts.created,
        cohorts_emptied=cohorts.emptied,
        interrupted=not finished,
    )


class FailureReporter:
    def __init__(
        self,
        *,
        store: StagingStore,
        imports: ImportStore,
        notifier: ImportNotifier,
        now: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._imports = imports
        self._notifier = notifier
        self._now = now

    def report(self, request: FailureRequest) -> ImportOutcome:
        event = request.event
        import_id = event.import_id()
        refused = request.manifest is not None and request.manifest.failure is not None
        failure = request.manifest.failure if request.manifest and request.manifest.failure else None
        uai = uai_of_key_or_none(event.key)

        # Claims the import if the parse step never did; another execution's import is left alone
        # (it may be running on this very file).
        record = self._imports.claim(
            ImportRecord(
                import_id=import_id,
                execution_id=request.execution_id,
                bucket=event.bucket,
                upload_key=event.key,
                file_name=file_name_of_key(event.key),
                uai=uai,
                status=ImportStatus.RUNNING,
                started_at=self._now(),
            )
        )
        if record.execution_id != request.execution_id:
            return _outcome(record.import_id, record.status, export_deleted=record.export_deleted)

        # Read before the staging goes: the chunks already applied are recorded there.
        written = None if refused else written_before_failure(self._store, request)
        failure = failure or technical_failure(request.error, uai, written)
        counts = _counts_written(written)
        cohorts = CohortCounts() if written is None else request.cohorts or CohortCounts()

        upload_keys = key_candidates(event.key)
        if request.manifest is not None:
            upload_keys.append(request.manifest.upload_key)
        delete_export_and_staging(self._store, upload_keys, None if uai is None else staging_prefix(uai, import_id))

        status = ImportStatus.REFUSED if refused else ImportStatus.FAILED
        finished_at = self._now()
        keys = None
        if uai is not None:
            # No report file under a key that named no valid UAI: the record alone says what happened.
            keys = report_keys(uai, import_id).model_copy(update={"csv_key": None})
            report = ImportReport(
                import_id=import_id,
                uai=uai,
                file_name=record.file_name,
                format=None,
                status=status,
                started_at=record.started_at,
                finished_at=finished_at,
                people_count=0 if request.manifest is None else request.manifest.people_count,
                counts=counts,
                cohorts=cohorts,
                held=0,
                issues=[],
                issues_total=0,
                failure=failure,
            )
            write_report_json(self._store, keys.json_key, report)
        final = record.model_copy(
            update={
                "status": status,
                "finished_at": finished_at,
                "failure": failure,
                "counts": counts,
                "cohorts": cohorts,
                "held": [],
                "report": keys,
                "export_deleted": True,
            }
        )
        self._imports.save(final)
        if uai is not None:
            # Only if this execution holds it (it may have failed waiting for another import).
            self._imports.release_school(uai, request.execution_id)
        self._notifier.import_finished(final)
        return _outcome(import_id, status, export_deleted=True, counts=counts, cohorts=cohorts)


def _counts_written(written: WrittenBeforeFailure | None) -> OutcomeCounts:
    if written is None:
        return OutcomeCounts()
    return OutcomeCounts(created=written.created, updated=written.updated, suspended=written.suspended)


def _outcome(
    import_id: str,
    status: ImportStatus,
    *,
    export_deleted: bool,
    counts: OutcomeCounts | None = None,
    cohorts: CohortCounts | None = None,
) -> ImportOutcome:
    return ImportOutcome(
        import_id=import_id,
        status=status,
        counts=counts or OutcomeCounts(),
        cohorts=cohorts or CohortCounts(),
        held=0,
        export_deleted=export_deleted,
    )
