"""Issue 9 on the local chain (moto, the template's state machine): a file touches its own school or
nothing, and a file that looks wrong suspends nobody until the manager approves."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from elea.models.import_record import ImportStatus
from elea_cli.main import main
from elea_local.runner import LocalChain, LocalRunResult
from tests.e2e.conftest import E2E_PARAMETERS, UAI
from tests.fixtures.chain_rosters import LAST_NAMES, EntRow, ent_csv, ent_school
from tests.fixtures.siecle_xml import SiecleStudent, eleves_sans_adresses_xml, zipped

pytestmark = pytest.mark.e2e

OTHER = "0771234Y"
SCHOOL = ent_school(40, teachers=6, relatives=4)
IMPORTED = 46  # parents are not imported
WriteFile = Callable[[str, bytes], Path]


def _counts(result: LocalRunResult) -> dict[str, int]:
    assert result.record is not None
    assert result.record.counts is not None
    return result.record.counts.model_dump()


def _in(rows: list[EntRow], structures: str) -> list[EntRow]:
    return [replace(row, structures=structures) for row in rows]


def _assert_untouched(chain: LocalChain, write_file: WriteFile) -> None:
    again = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert _counts(again)["unchanged"] == IMPORTED
    assert _counts(again)["suspended"] == 0
    assert _counts(again)["created"] == 0


def test_another_schools_ent_file_naming_this_school_once_is_refused_and_writes_nothing(
    make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    chain = make_chain()
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # GIVEN another school's export (its UAI in every structure) where one row also names this school
    other = _in(ent_school(30, start=500), f"LYCEE VOISIN ({OTHER})")
    other[0] = replace(other[0], structures=f"COLLEGE DES TESTS ({UAI})")
    result = chain.run_file(write_file("export.csv", ent_csv(other)), UAI)
    # THEN refused as another school's file, deleted, and this school's accounts are as they were
    assert result.status is ImportStatus.REFUSED
    assert result.record is not None
    assert result.record.failure is not None
    assert result.record.failure.code == "uai_mismatch"
    assert result.export_deleted
    assert result.leftover_keys == []
    _assert_untouched(chain, write_file)


def test_in_this_schools_file_other_schools_people_are_row_errors_and_shared_members_are_kept(
    make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    # GIVEN this school's export naming its UAI, with two people of another school only, and a teacher of both
    rows = _in(SCHOOL, f"COLLEGE DES TESTS ({UAI})")
    rows[0] = replace(rows[0], structures=f"LYCEE VOISIN ({OTHER})")
    rows[1] = replace(rows[1], structures=f"LYCEE VOISIN ({OTHER})")
    rows[40] = replace(rows[40], structures=f"COLLEGE DES TESTS ({UAI}), LYCEE VOISIN ({OTHER})")
    result = make_chain().run_file(write_file("export.csv", ent_csv(rows)), UAI)
    # THEN the two are errors on their lines, never accounts here; the shared teacher is one account here
    assert result.status is ImportStatus.COMPLETED
    assert _counts(result)["created"] == IMPORTED - 2
    assert _counts(result)["errors"] == 2
    assert result.report is not None
    strays = [issue for issue in result.report.issues if issue.code == "other_school_row"]
    assert sorted(issue.line or 0 for issue in strays) == [2, 3]


def _siecle(uaj_lines: str) -> bytes:
    students = [
        SiecleStudent(
            eleve_id=str(5000 + n),
            last_name=LAST_NAMES[n % 8],
            first_name="Zoé",
            birth_date="01/02/2013",
            division="6A",
        )
        for n in range(5)
    ]
    xml = eleves_sans_adresses_xml(UAI, students).decode("iso-8859-15")
    return zipped(xml.replace(f"    <UAJ>{UAI}</UAJ>", uaj_lines).encode("iso-8859-15"))


@pytest.mark.parametrize(
    ("uaj_lines", "code"),
    [
        ("", "uai_missing_in_file"),
        (f"    <UAJ>{UAI}</UAJ>\r\n    <UAJ>{OTHER}</UAJ>", "uai_ambiguous_in_file"),
        (f"    <UAJ>{OTHER}</UAJ>", "uai_mismatch"),
    ],
)
def test_a_siecle_file_without_uaj_with_several_or_with_another_schools_is_refused_and_writes_nothing(
    uaj_lines: str, code: str, make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    chain = make_chain()
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # GIVEN a SIECLE export naming no school, two schools, or another school
    result = chain.run_file(write_file("ElevesSansAdresses.zip", _siecle(uaj_lines)), UAI)
    # THEN it is refused with a French message and a stable code, deleted, and nothing was written
    assert result.status is ImportStatus.REFUSED
    assert result.record is not None
    assert result.record.failure is not None
    assert result.record.failure.code == code
    assert "rien n'a été importé" in result.record.failure.message
    assert result.export_deleted
    _assert_untouched(chain, write_file)


def test_an_export_with_another_schools_name_is_imported_with_a_warning_and_suspends_nobody(
    state_dir: Path, make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    # GIVEN a school registered as « Collège Jean Moulin », and exports naming « COLLEGE DES TESTS » (no UAI)
    assert (
        main(
            [
                "establishment",
                "add",
                UAI,
                "--dept",
                "75",
                "--basin",
                "1",
                "--name",
                "Collège Jean Moulin",
                "--state-dir",
                str(state_dir),
            ]
        )
        == 0
    )
    chain = make_chain()
    first = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # THEN it is imported, with a warning in the report and on the record
    assert first.status is ImportStatus.COMPLETED
    assert _counts(first)["created"] == IMPORTED
    assert first.report is not None
    assert first.report.issues[0].code == "school_name_mismatch"
    assert [check.code for check in first.report.checks] == ["school_name_mismatch"]
    # AND a later export of it with 3 people gone suspends nobody (under the usual limit) until approved
    later = chain.run_file(write_file("export.csv", ent_csv(SCHOOL[3:])), UAI)
    assert _counts(later)["suspended"] == 0
    assert later.record is not None
    assert len(later.record.held) == 3
    assert [check.code for check in later.record.checks] == ["school_name_mismatch"]
    assert chain.approve(later.import_id).suspended == 3


def test_an_export_without_the_teachers_suspends_nobody_until_approved(
    make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    chain = make_chain()
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # GIVEN an export made with « Profil : Élève » instead of « Tous »: the 6 teachers are absent (under 20)
    students = [row for row in SCHOOL if row.type == "Élève"]
    result = chain.run_file(write_file("export.csv", ent_csv(students)), UAI)
    # THEN no one is suspended, the report says why and how to override, and the students were refreshed
    assert result.status is ImportStatus.COMPLETED
    assert _counts(result)["suspended"] == 0
    assert _counts(result)["unchanged"] == 40
    assert result.record is not None
    assert len(result.record.held) == 6
    assert [check.code for check in result.record.checks] == ["profile_missing"]
    assert "Profil « Tous »" in result.record.checks[0].hint
    # WHEN the manager approves on purpose THEN the 6 are suspended
    assert chain.approve(result.import_id).suspended == 6


def test_a_much_smaller_export_suspends_nobody_even_under_a_high_limit(state_dir: Path, write_file: WriteFile) -> None:
    # GIVEN a platform that lets up to 1,000 suspensions through, and a school of 46
    chain = LocalChain(state_dir, parameter_overrides={**E2E_PARAMETERS, "HoldMinAccounts": "1000"})
    chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # WHEN an export of 20 of them (students and teachers) is dropped
    kept = [*SCHOOL[:17], *SCHOOL[40:43]]
    result = chain.run_file(write_file("export.csv", ent_csv(kept)), UAI)
    # THEN the 26 absent are held, not suspended, for the size check
    assert _counts(result)["suspended"] == 0
    assert result.record is not None
    assert len(result.record.held) == 26
    assert [check.code for check in result.record.checks] == ["export_much_smaller"]
    # AND dropping the same small file again does not make it the reference: still held
    again = chain.run_file(write_file("export.csv", ent_csv(kept)), UAI)
    assert again.record is not None
    assert len(again.record.held) == 26
    assert [check.code for check in again.record.checks] == ["export_much_smaller"]


def test_an_older_export_than_the_last_one_suspends_nobody(
    make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    # GIVEN an import of an export whose newest connection is 20/11/2026
    chain = make_chain()
    recent = [
        replace(row, last_login="20-11-2026 10:00" if index == 5 else "02-10-2026 08:00")
        for index, row in enumerate(SCHOOL)
    ]
    chain.run_file(write_file("export.csv", ent_csv(recent)), UAI)
    # WHEN an export from October (export.csv left on the computer) is dropped, missing a pupil who came since
    old = [replace(row, last_login="02-10-2026 08:00") for row in SCHOOL[1:]]
    result = chain.run_file(write_file("export.csv", ent_csv(old)), UAI)
    # THEN nobody is suspended and the report mentions export(1).csv as the procedure does
    assert _counts(result)["suspended"] == 0
    assert result.record is not None
    assert len(result.record.held) == 1
    assert [check.code for check in result.record.checks] == ["export_older"]
    assert "export(1).csv" in result.record.checks[0].hint


def test_the_french_cli_report_and_json_say_why_nothing_was_suspended_and_how_to_override(
    tmp_path: Path, write_file: WriteFile, capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(tmp_path / "cli-state")
    assert main(["run", str(write_file("export.csv", ent_csv(SCHOOL))), "--uai", UAI, "--state-dir", state]) == 0
    capsys.readouterr()
    students = ent_csv([row for row in SCHOOL if row.type == "Élève"])
    # WHEN the students-only export is imported from the command line
    assert main(["run", str(write_file("export.csv", students)), "--uai", UAI, "--state-dir", state]) == 0
    out = capsys.readouterr().out
    # THEN the report names the check, what to re-export, the code and the approve command
    assert "CONTRÔLES AVANT SUSPENSION NON SATISFAITS" in out
    assert "aucun compte enseignant" in out
    assert "Profil « Tous »" in out
    assert "Code : profile_missing" in out
    assert "6 comptes absents du fichier n'ont pas été suspendus (contrôles ci-dessus)" in out
    assert "elea-import approve" in out
    # AND the JSON keeps its keys and adds the checks
    assert main(["run", str(write_file("export.csv", students)), "--uai", UAI, "--state-dir", state, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["held"] == 6
    assert [check["code"] for check in report["checks"]] == ["profile_missing"]


def test_an_export_naming_no_school_is_imported_with_a_warning_the_report_shows(
    make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    # GIVEN an export whose « Établissements » column is empty for everyone
    result = make_chain().run_file(write_file("export.csv", ent_csv(_in(SCHOOL, ""))), UAI)
    # THEN it is imported, and the report, the record and the per-row CSV say so
    assert result.status is ImportStatus.COMPLETED
    assert _counts(result)["created"] == IMPORTED
    assert result.report is not None
    assert result.report.issues[0].code == "school_not_named"
    assert [check.code for check in result.report.checks] == ["school_not_named"]
    csv_files = [path for path in result.report_files if path.name == "report.csv"]
    assert csv_files
    assert "n'indique aucun établissement" in csv_files[0].read_text(encoding="utf-8-sig")
