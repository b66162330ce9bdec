"""The import chain end to end: the template's ASL on moto's interpreter, the real handlers in-process."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from elea.models.import_record import ImportStatus
from elea_local.api_calls import counting_api_calls
from elea_local.runner import LocalChain
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import LAST_NAMES, ent_csv, ent_school, moved, renamed

pytestmark = pytest.mark.e2e

# 40 students, 6 teachers, 4 parents (parents are not imported by default: skipped).
SCHOOL = ent_school(40, teachers=6, relatives=4)
IMPORTED = 46


def report_rows(result_files: list[Path]) -> list[dict[str, str]]:
    (report,) = [path for path in result_files if path.suffix == ".csv"]
    return list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig")), delimiter=";"))


def test_first_import_creates_cohorts_and_accounts_then_deletes_the_export(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path], state_dir: Path
) -> None:
    # GIVEN a school's ENT export of 50 people
    export = write_file("export.csv", ent_csv(SCHOOL))
    # WHEN it is dropped on an empty platform
    result = make_chain().run_file(export, UAI)
    # THEN every imported person is created, parents are skipped, one cohort per class
    assert result.execution_statuses == ["SUCCEEDED"]
    assert result.record is not None
    assert result.record.status is ImportStatus.COMPLETED
    assert result.record.counts is not None
    assert result.record.counts.model_dump() == {
        "created": IMPORTED, "updated": 0, "unchanged": 0, "protected": 0, "suspended": 0, "skipped": 4, "errors": 0,
    }  # fmt: skip
    assert result.record.cohorts is not None
    assert result.record.cohorts.created == 4
    # AND the export and every staged file are gone; the per-row report has one row per person
    assert result.export_deleted
    assert result.leftover_keys == []
    assert len(report_rows(result.report_files)) == len(SCHOOL)
    # AND nothing personal went into the technical log
    log = (state_dir / "logs" / "elea-import.log").read_text(encoding="utf-8")
    assert not any(name in log for name in LAST_NAMES)
    assert not any(row.login in log for row in SCHOOL)


def test_unchanged_reimport_writes_nothing_but_the_import_record(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    chain = make_chain()
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # WHEN the same export is dropped again, counting the chain's DynamoDB writes
    with counting_api_calls() as calls:
        result = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # THEN everyone is unchanged, and the only DynamoDB writes are in the imports table: the claim, the
    # school's lease taken, the file's fingerprint once read (with the parse step's live progress for the
    # web page, issue 8), the close (with the lease given back, one transaction), the report e-mail's
    # status recorded on it, and one live progress per users chunk
    assert result.record is not None
    assert result.record.counts is not None
    assert result.record.counts.unchanged == IMPORTED
    assert result.record.counts.created == result.record.counts.updated == 0
    assert result.record.cohorts is not None
    assert result.record.cohorts.unchanged == 4
    imports_table = chain.stack.tables["ImportsTable"].name
    chunks = sum(1 for invocation in result.invocations if invocation.function == "UsersFunction")
    assert dict(calls.dynamodb_writes_by_table) == {imports_table: 5 + chunks}


def test_changed_reimport_reports_exactly_the_changes(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    chain = make_chain()
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # GIVEN a term later: 2 students left, 3 arrived, 4 changed class, 1 changed name
    students = [row for row in SCHOOL if row.type == "Élève"]
    staying = students[2:]
    changed = [moved(row, "6A" if row.classes != ("6A",) else "6B") for row in staying[:4]]
    changed += [renamed(staying[4], "NOUVEAU-NOM")]
    arrivals = ent_school(3, start=900)
    others = [row for row in SCHOOL if row.type != "Élève"]
    later = changed + staying[5:] + arrivals + others
    # WHEN the new export is imported
    result = chain.run_file(write_file("export.csv", ent_csv(later)), UAI)
    # THEN the report says exactly that
    assert result.record is not None
    assert result.record.counts is not None
    assert result.record.counts.model_dump() == {
        "created": 3, "updated": 5, "unchanged": IMPORTED - 2 - 5, "protected": 0, "suspended": 2,
        "skipped": 4, "errors": 0,
    }  # fmt: skip
    rows = {row["Id"]: row for row in report_rows(result.report_files)}
    assert rows[changed[0].id]["Champs modifiés"] == "classes"
    assert rows[changed[4].id]["Champs modifiés"] == "nom"
    assert {rows[row.id]["Résultat"] for row in students[:2]} == {"suspendu"}


def test_the_same_object_delivered_twice_runs_one_import(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    chain = make_chain()
    # WHEN EventBridge delivers the same "Object Created" event twice, concurrently
    result = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI, deliveries=2)
    # THEN both executions end well, but only one imported: one Users run per chunk, one creation per person
    assert result.execution_statuses == ["SUCCEEDED", "SUCCEEDED"]
    invoked = [record.function for record in result.invocations]
    assert invoked.count("ParseFunction") == 2
    assert invoked.count("UsersFunction") == 3  # 50 people in chunks of 20
    assert invoked.count("ReportFunction") == 1
    assert result.record is not None
    assert result.record.counts is not None
    assert result.record.counts.created == IMPORTED
    # AND the platform holds each account once: a re-import finds them all unchanged
    again = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert again.record is not None
    assert again.record.counts is not None
    assert again.record.counts.unchanged == IMPORTED
