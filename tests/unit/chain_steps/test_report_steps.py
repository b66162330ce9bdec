"""Report and failure report: a record, report files, and the export deleted, whatever happens."""

from __future__ import annotations

import csv
import io

import pytest

from elea.credentials.csv_cells import neutralise
from elea.errors import ConcurrentChange
from elea.logic.build_report import ImportReporter
from elea.logic.report_failure import FailureReporter
from elea.models.import_record import ImportStatus
from elea.models.import_report import ImportReport
from elea.models.object_created import ObjectCreated
from elea.models.parse_manifest import ParseStatus
from elea.models.step_failure import StepError
from elea.models.step_inputs import FailureRequest
from tests.fixtures.chain_rosters import siecle_zip
from tests.unit.chain_steps.in_memory_chain import InMemoryChain
from tests.unit.chain_steps.steps import EXECUTION, OTHER_EXECUTION, UAI, event, now, parse_request

KEY = f"imports/{UAI}/ElevesSansAdresses.zip"


def reporter(chain: InMemoryChain) -> ImportReporter:
    return ImportReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now)


def failure_reporter(chain: InMemoryChain) -> FailureReporter:
    return FailureReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now)


def test_report_aggregates_writes_files_then_deletes_the_export_and_staging() -> None:
    # GIVEN a first import of 25 students staged in three chunks
    chain = InMemoryChain()
    request = chain.until_report(KEY, siecle_zip(UAI, 25))
    # WHEN the report step runs
    outcome = reporter(chain).report(request)
    # THEN the record is completed with the counts, the export and the staging are gone, the reports stay
    record = chain.imports.records[outcome.import_id]
    assert record.status is ImportStatus.COMPLETED
    assert record.counts is not None
    assert record.counts.created == 25
    assert record.export_deleted
    assert KEY not in chain.store.objects
    assert chain.store.keys("staging/") == []
    assert chain.store.keys("reports/") == [
        f"reports/{UAI}/{outcome.import_id}/report.csv",
        f"reports/{UAI}/{outcome.import_id}/report.json",
    ]
    assert [notified.status for notified in chain.notifier.records] == [ImportStatus.COMPLETED]


def test_report_csv_is_excel_safe_and_has_one_row_per_person() -> None:
    chain = InMemoryChain()
    outcome = reporter(chain).report(chain.until_report(KEY, siecle_zip(UAI, 12)))
    body = chain.store.objects[f"reports/{UAI}/{outcome.import_id}/report.csv"]
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Ligne", "Id", "Nom", "Prénom", "Classe", "Profil", "Résultat", "Champs modifiés", "Message"]
    assert len(rows) == 1 + 12
    assert {row[6] for row in rows[1:]} == {"créé"}
    # Issue 8, item 7: each row names its person beside the Id
    assert all(row[1] and row[2] and row[3] for row in rows[1:])


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+33", "'+33"),
        ("-1", "'-1"),
        ("@SUM", "'@SUM"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1+2", "'  =1+2"),
        ("\uff1d1+2", "'\uff1d1+2"),
        ("Zoé", "Zoé"),
        ("Jean-Noël", "Jean-Noël"),
    ],
)
def test_cells_that_excel_would_run_as_formulas_are_neutralised(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_a_report_retried_after_the_staging_was_deleted_reuses_what_it_wrote() -> None:
    # GIVEN a report step that wrote its files and deleted the staging, then lost its answer
    chain = InMemoryChain()
    request = chain.until_report(KEY, siecle_zip(UAI, 12))
    first = reporter(chain).report(request)
    # WHEN Step Functions retries it
    again = reporter(chain).report(request)
    # THEN it ends the same, counts included (the staged outcomes are gone but report.json is kept)
    assert again == first
    report = ImportReport.model_validate_json(chain.store.objects[f"reports/{UAI}/{first.import_id}/report.json"])
    assert report.counts.created == 12


def test_report_refuses_to_close_another_executions_import() -> None:
    chain = InMemoryChain()
    request = chain.until_report(KEY, siecle_zip(UAI, 3))
    with pytest.raises(ConcurrentChange):
        reporter(chain).report(request.model_copy(update={"execution_id": OTHER_EXECUTION}))


def test_a_refused_file_is_recorded_and_deleted() -> None:
    # GIVEN a file refused by the parse step (another school's export)
    chain = InMemoryChain()
    key = "imports/0750654D/ElevesSansAdresses.zip"
    chain.store.objects[key] = siecle_zip(UAI, 3)
    request = parse_request(key)
    from elea.logic.parse_upload import parse_upload

    manifest = parse_upload(
        request,
        store=chain.store,
        imports=chain.imports,
        establishments=chain.establishments,
        limits=chain.limits,
        now=now,
    )
    assert manifest.status is ParseStatus.REFUSED
    # WHEN the failure report runs on the state the Choice hands it
    outcome = failure_reporter(chain).report(
        FailureRequest(event=request.event, execution_id=EXECUTION, manifest=manifest)
    )
    # THEN the refusal is recorded in French with its code, and the export is deleted
    record = chain.imports.records[outcome.import_id]
    assert record.status is ImportStatus.REFUSED
    assert record.failure is not None
    assert record.failure.code == "uai_mismatch"
    assert record.export_deleted
    assert key not in chain.store.objects


def test_a_crash_before_any_manifest_still_ends_with_a_record_and_no_export() -> None:
    # GIVEN a parse step that crashed before claiming anything (the Catch hands over the raw event)
    chain = InMemoryChain()
    chain.store.objects[KEY] = b"whatever"
    failure = StepError.model_validate({"Error": "Lambda.Unknown", "Cause": "stack trace with MARTIN Zoé"})
    request = FailureRequest(event=ObjectCreated.model_validate(event(KEY)), execution_id=EXECUTION, error=failure)
    outcome = failure_reporter(chain).report(request)
    record = chain.imports.records[outcome.import_id]
    assert record.status is ImportStatus.FAILED
    assert record.failure is not None
    assert record.failure.code == "technical_failure"
    assert "MARTIN" not in record.model_dump_json()  # the cause is never kept
    assert KEY not in chain.store.objects


def test_the_failure_report_of_a_duplicate_leaves_the_running_import_alone() -> None:
    # GIVEN an import owned by a first execution, still running
    chain = InMemoryChain()
    request = chain.until_report(KEY, siecle_zip(UAI, 3))
    staged = chain.store.keys("staging/")
    # WHEN a duplicate execution fails and reaches the failure report
    duplicate = FailureRequest(
        event=ObjectCreated.model_validate(event(KEY, sequencer="01")),
        execution_id=OTHER_EXECUTION,
        error=StepError.model_validate({"Error": "States.Timeout"}),
    )
    failure_reporter(chain).report(duplicate)
    # THEN neither the export, the staging nor the record are touched
    assert KEY in chain.store.objects
    assert chain.store.keys("staging/") == staged
    assert chain.imports.records[request.manifest.import_id].status is ImportStatus.RUNNING
