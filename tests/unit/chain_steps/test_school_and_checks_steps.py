"""The chain's steps on fakes: a refused school writes nothing, a failed check holds and is reported."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from elea.establishments.establishment import new_establishment
from elea.logic.build_report import ImportReporter
from elea.logic.parse_upload import ParseLimits, parse_upload
from elea.mail.import_record_summaries import ImportRecordSummaries
from elea.models.import_report import ImportReport
from elea.models.parse_manifest import ParseStatus
from tests.fakes.memory_establishments import InMemoryEstablishmentStore
from tests.fakes.memory_import_store import InMemoryImportStore
from tests.fakes.memory_staging import InMemoryStagingStore
from tests.fixtures.chain_rosters import ent_csv, ent_school
from tests.unit.chain_steps.in_memory_chain import InMemoryChain
from tests.unit.chain_steps.steps import OTHER_UAI, UAI, now, parse_request

KEY = f"imports/{UAI}/export.csv"
LIMITS = ParseLimits(chunk_size=10, max_upload_bytes=1_000_000, max_row_errors=1000)
SCHOOL = ent_school(40, teachers=6)


def test_another_schools_ent_file_is_refused_before_anything_is_staged() -> None:
    # GIVEN an export whose structures name another school, dropped for this one
    store = InMemoryStagingStore()
    store.objects[KEY] = ent_csv([replace(row, structures=f"LYCEE ({OTHER_UAI})") for row in SCHOOL])
    # WHEN parsed
    manifest = parse_upload(
        parse_request(KEY),
        store=store,
        imports=InMemoryImportStore(),
        establishments=InMemoryEstablishmentStore(),
        limits=LIMITS,
        now=now,
    )
    # THEN refused as uai_mismatch and nothing was staged (the Report step then deletes the export)
    assert manifest.status is ParseStatus.REFUSED
    assert manifest.failure is not None
    assert manifest.failure.code == "uai_mismatch"
    assert store.keys("staging/") == []
    assert manifest.chunks == []


def test_an_export_naming_another_school_is_staged_with_a_warning_and_a_check() -> None:
    store = InMemoryStagingStore()
    store.objects[KEY] = ent_csv(SCHOOL)  # "COLLEGE DES TESTS"
    establishments = InMemoryEstablishmentStore()
    establishments.put(new_establishment(uai=UAI, name="Lycée Pasteur", department="77", basin="3"))
    manifest = parse_upload(
        parse_request(KEY),
        store=store,
        imports=InMemoryImportStore(),
        establishments=establishments,
        limits=LIMITS,
        now=now,
    )
    assert manifest.status is ParseStatus.READY
    assert [check.code for check in manifest.checks] == ["school_name_mismatch"]
    assert manifest.profiles == {"student": 40, "teacher": 6}
    assert manifest.warnings == 1


def test_a_missing_profile_holds_every_suspension_and_the_report_says_why() -> None:
    # GIVEN a first import, then an export of the students only
    chain = InMemoryChain()
    reporter = ImportReporter(store=chain.store, imports=chain.imports, notifier=chain.notifier, now=now)
    reporter.report(chain.until_report(KEY, ent_csv(SCHOOL)))
    request = chain.until_report(KEY, ent_csv(SCHOOL[:40]), sequencer="02")
    # THEN the deprovisioning step held the 6 teachers (under the usual limit of 20) and kept the reason
    assert request.deprovision.held == 6
    assert request.deprovision.suspended == 0
    outcome = reporter.report(request)
    record = chain.imports.records[outcome.import_id]
    assert [check.code for check in record.checks] == ["profile_missing"]
    assert len(record.held) == 6
    # AND report.json (a new key), report.csv and the e-mail's summary carry it
    report = ImportReport.model_validate_json(chain.store.objects[f"reports/{UAI}/{outcome.import_id}/report.json"])
    assert [check.code for check in report.checks] == ["profile_missing"]
    body = chain.store.objects[f"reports/{UAI}/{outcome.import_id}/report.csv"].decode("utf-8-sig")
    results = [row[6] for row in csv.reader(io.StringIO(body), delimiter=";")]  # « Résultat »
    assert results.count("contrôle avant suspension") == 1
    summary = ImportRecordSummaries(imports=chain.imports, reports=chain.store).summary_of(record)
    assert [check.code for check in summary.checks] == ["profile_missing"]
