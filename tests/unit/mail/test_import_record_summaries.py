"""The report e-mail's summary, rebuilt from the import record and the files beside its report."""

from __future__ import annotations

from datetime import UTC, datetime

from elea.credentials.login_sheets import LoginSheetRow, login_sheets_csv, login_sheets_html
from elea.credentials.publish_sheets import login_sheets_keys
from elea.mail.import_record_summaries import ImportRecordSummaries
from elea.models.import_record import ImportRecord, ImportStatus
from tests.fakes.memory_import_store import InMemoryImportStore
from tests.fakes.memory_staging import InMemoryStagingStore

UAI = "0771234Y"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _record(import_id: str) -> ImportRecord:
    return ImportRecord(
        import_id=import_id,
        execution_id="exec-1",
        bucket="bucket",
        upload_key=f"imports/{UAI}/ElevesSansAdresses.zip",
        file_name="ElevesSansAdresses.zip",
        uai=UAI,
        status=ImportStatus.COMPLETED,
        started_at=NOW,
        export_deleted=True,
    )


def _rows(count: int) -> list[LoginSheetRow]:
    return [
        # A name with a line break and a ";" must still count as one person.
        LoginSheetRow(class_name="5 B", last_name=f"NOM;{i}\nBIS", first_name="Inès", username=f"u{i}", password="x")
        for i in range(count)
    ]


def test_the_summary_counts_the_people_of_the_published_login_sheets() -> None:
    # GIVEN an import whose login sheets hold 3 people
    imports, files = InMemoryImportStore(), InMemoryStagingStore()
    imports.claim(_record("imp-1"))
    html_key, csv_key = login_sheets_keys(UAI, "imp-1")
    rows = _rows(3)
    files.put(
        html_key,
        login_sheets_html(rows, school_name=None, uai=UAI, platform_url=None, generated_at=NOW).encode(),
        "text/html",
    )
    files.put(csv_key, login_sheets_csv(rows, platform_url=None), "text/csv")
    # WHEN its e-mail summary is built
    summary = ImportRecordSummaries(imports=imports, reports=files).summary("imp-1")
    # THEN it links the sheets and says how many new accounts they are for
    assert summary is not None
    assert summary.login_sheets_key == html_key
    assert summary.login_sheet_count == 3


def test_an_import_without_login_sheets_counts_none() -> None:
    imports, files = InMemoryImportStore(), InMemoryStagingStore()
    imports.claim(_record("imp-2"))
    summary = ImportRecordSummaries(imports=imports, reports=files).summary("imp-2")
    assert summary is not None
    assert summary.login_sheets_key is None
    assert summary.login_sheet_count == 0
