"""The report e-mail's summary, rebuilt from the import record and the files beside its report."""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape

from elea.credentials.login_sheets import LoginSheetRow, login_sheets_csv, login_sheets_html
from elea.credentials.publish_sheets import login_sheets_keys
from elea.establishments.academy import AcademySettings
from elea.logic.sanity_checks import EXPORT_ALREADY_IMPORTED, SAME_AS_LATEST_IMPORT
from elea.logic.staging_layout import report_keys, write_report_json
from elea.mail.import_record_summaries import ImportRecordSummaries
from elea.mail.report_mail import ReportLinks, report_message
from elea.models.class_spelling import ClassSpelling
from elea.models.cohort_counts import CohortCounts
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.import_report import ImportReport
from elea.models.outcome_counts import OutcomeCounts
from elea.models.sanity_check import SanityCheck
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


def test_the_report_mail_carries_the_reports_notices_hold_reason_and_class_spellings() -> None:
    # GIVEN a completed import held as an old export re-sent (its record's check), whose report.json also says
    # the file is the latest import's and that two classes were kept under an existing cohort's spelling
    imports, files = InMemoryImportStore(), InMemoryStagingStore()
    keys = report_keys(UAI, "imp-3")
    already = SanityCheck(
        code=EXPORT_ALREADY_IMPORTED,
        message="Le fichier « export.csv » est identique, octet pour octet, à celui d'un import plus ancien.",
        hint="Supprimez le plus ancien fichier et déposez le plus récent.",
    )
    same = SanityCheck(
        code=SAME_AS_LATEST_IMPORT,
        message="Ce fichier est identique à celui de la dernière importation : rien de nouveau n'a été importé.",
        hint="Exportez à nouveau et vérifiez le nom du fichier enregistré.",
    )
    spellings = [
        ClassSpelling(file_class="6a", cohort_name="6A", idnumber=f"{UAI}_6A", message="…"),
        ClassSpelling(file_class="5 <b>", cohort_name="5 <B>", idnumber=f"{UAI}_5B", message="…"),
    ]
    record = _record("imp-3").model_copy(update={"report": keys, "checks": [already], "held": ["u1", "u2"]})
    imports.claim(record)
    report = ImportReport(
        import_id="imp-3",
        uai=UAI,
        file_name="export.csv",
        format=None,
        status=ImportStatus.COMPLETED,
        started_at=NOW,
        finished_at=NOW,
        people_count=2,
        counts=OutcomeCounts(),
        cohorts=CohortCounts(),
        held=2,
        issues=[],
        issues_total=0,
        checks=[already],
        class_spellings=spellings,
        notices=[same],
    )
    write_report_json(files, keys.json_key, report)
    # WHEN its report e-mail is built and rendered
    summary = ImportRecordSummaries(imports=imports, reports=files).summary("imp-3")
    assert summary is not None
    message = report_message(summary, AcademySettings(activation_page_url="https://a.example/"), None, ReportLinks())
    # THEN both bodies say, in French, why the suspensions wait, that the file is the latest one, and which
    # classes were kept under which cohort (class names only, the HTML escaped)
    html = unescape(message.html)
    for body in (message.text, html):
        assert "suspensions en attente de votre validation" in body.lower()
        assert "le fichier n'a pas passé les contrôles ci-dessous" in body
        assert already.message in body
        assert already.hint in body
        assert same.message in body
        assert same.hint in body
        assert "2 classes du fichier rattachées à des cohortes existantes écrites autrement" in body
        assert "« 6a » du fichier : cohorte « 6A » conservée" in body
        assert "« 5 <b> » du fichier : cohorte « 5 <B> » conservée" in body
        assert f"{UAI}_6A" not in body
    assert "<b>" not in message.html
    assert "&lt;b&gt;" in message.html
