"""Issue 9 across imports, on the local chain (moto, the template's state machine): a file is compared
only with what its format can carry, and with the files the school imported before."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from elea.models.import_record import ImportStatus
from elea_local.runner import LocalChain, LocalRunResult
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import ent_csv, ent_school, siecle_zip
from tests.fixtures.siecle_xml import StsDivision, StsIndividual, sts_emp_xml

pytestmark = pytest.mark.e2e

WriteFile = Callable[[str, bytes], Path]
STS_NAME = f"sts_emp_{UAI}_2026.xml"
TEACHERS = [StsIndividual(str(8900 + number), f"PROF{number}", "Anne") for number in range(6)]
DIVISIONS = [StsDivision("6A", {"020700": tuple(teacher.individu_id for teacher in TEACHERS)})]


def _counts(result: LocalRunResult) -> dict[str, int]:
    assert result.record is not None
    assert result.record.counts is not None
    return result.record.counts.model_dump()


def test_a_siecle_school_with_sts_teachers_imports_its_pupils_without_holds_or_suspending_teachers(
    make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    # GIVEN a SIECLE-only school: its 6 teachers from STS-web, its 30 pupils from SIECLE
    chain = make_chain()
    sts = chain.run_file(write_file(STS_NAME, sts_emp_xml(UAI, TEACHERS, DIVISIONS)), UAI)
    assert _counts(sts)["created"] == 6
    first = chain.run_file(write_file("ElevesSansAdresses.zip", siecle_zip(UAI, 30)), UAI)
    assert _counts(first)["created"] == 30
    # WHEN its next SIECLE file (2 pupils have left) is imported
    result = chain.run_file(write_file("ElevesSansAdresses.zip", siecle_zip(UAI, 28)), UAI)
    # THEN no check holds it (a SIECLE file carries no teacher), the 2 pupils are suspended, no teacher is
    assert result.status is ImportStatus.COMPLETED
    assert result.record is not None
    assert result.record.checks == []
    assert result.record.held == []
    assert _counts(result)["suspended"] == 2
    # AND the next STS file finds its 6 teachers unchanged and suspends no pupil
    again = chain.run_file(write_file(STS_NAME, sts_emp_xml(UAI, TEACHERS, DIVISIONS)), UAI)
    assert again.record is not None
    assert again.record.checks == []
    assert _counts(again)["unchanged"] == 6
    assert _counts(again)["suspended"] == 0


def test_a_class_spelled_otherwise_than_its_cohort_stays_one_cohort_and_the_report_says_so(
    make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    # GIVEN a school imported with the classes 6A, 6B, 5A, 5B
    chain = make_chain()
    school = ent_school(24, teachers=2)
    first = chain.run_file(write_file("export.csv", ent_csv(school)), UAI)
    assert first.record is not None
    assert first.record.cohorts is not None
    assert first.record.cohorts.created == 4
    # WHEN the next export writes « 6A » as « 6ａ » (full-width, lower case), with a newcomer in it
    spelled = [replace(row, classes=tuple("6ａ" if name == "6A" else name for name in row.classes)) for row in school]
    newcomer = replace(ent_school(1, start=90)[0], classes=("6ａ",))
    result = chain.run_file(write_file("export.csv", ent_csv([*spelled, newcomer])), UAI)
    # THEN no cohort is created nor emptied, everyone stays where they were, the newcomer joins « 6A »
    assert result.record is not None
    assert result.record.cohorts is not None
    assert result.record.cohorts.model_dump() == {"created": 0, "unchanged": 4, "emptied": 0}
    assert _counts(result)["unchanged"] == len(school)
    assert _counts(result)["created"] == 1
    # AND the report's Classes part says the existing cohort « 6A » and its idnumber were kept
    assert result.report is not None
    [spelling] = result.report.class_spellings
    assert (spelling.file_class, spelling.cohort_name, spelling.idnumber) == ("6ａ", "6A", f"{UAI}$6A")
    assert "« 6A » est conservée" in spelling.message
    # AND a third import, spelled « 6A » again, is unchanged for all
    back = chain.run_file(write_file("export.csv", ent_csv([*school, replace(newcomer, classes=("6A",))])), UAI)
    assert back.record is not None
    assert back.record.cohorts is not None
    assert back.record.cohorts.model_dump() == {"created": 0, "unchanged": 4, "emptied": 0}
    assert _counts(back)["unchanged"] == len(school) + 1
    assert back.report is not None
    assert back.report.class_spellings == []


def test_an_old_export_sent_again_is_held_and_the_latest_file_twice_is_flagged(
    make_chain: Callable[..., LocalChain], write_file: WriteFile
) -> None:
    # GIVEN a school imported from export A, then from export B (a pupil arrived)
    chain = make_chain()
    school = ent_school(24, teachers=2)
    old = ent_csv(school)
    newer = ent_csv([*school, ent_school(1, start=90)[0]])
    first = chain.run_file(write_file("export.csv", old), UAI)
    chain.run_file(write_file("export.csv", newer), UAI)
    # Only a fingerprint of the file is kept on the record
    assert first.record is not None
    assert first.record.content_sha256 is not None
    assert len(first.record.content_sha256) == 64
    # WHEN A, left on the computer, is dropped again (the new download was saved as export(1).csv)
    result = chain.run_file(write_file("export.csv", old), UAI)
    # THEN the pupil absent from A is held, not suspended, and the report explains it with export(1).csv
    assert result.status is ImportStatus.COMPLETED
    assert result.record is not None
    assert [check.code for check in result.record.checks] == ["export_already_imported"]
    assert "export(1).csv" in result.record.checks[0].hint
    assert len(result.record.held) == 1
    assert _counts(result)["suspended"] == 0
    # AND the manager may still apply it on purpose, through the usual approval
    assert chain.approve(result.import_id).suspended == 1


def test_the_same_file_as_the_last_import_is_flagged_in_the_report_and_the_cli(
    make_chain: Callable[..., LocalChain], write_file: WriteFile, state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a school imported from its export
    chain = make_chain()
    body = ent_csv(ent_school(24, teachers=2))
    first = chain.run_file(write_file("export.csv", body), UAI)
    assert first.report is not None
    assert first.report.notices == []
    # WHEN the very same file is dropped again
    again = chain.run_file(write_file("export.csv", body), UAI)
    # THEN nothing is held, and the report says the file is the last import's
    assert again.record is not None
    assert again.record.checks == []
    assert again.report is not None
    [notice] = again.report.notices
    assert notice.code == "same_as_latest_import"
    assert "Ce fichier est identique à celui de la dernière importation" in notice.message
    # AND the CLI says so in French
    from elea_cli.main import main

    assert main(["run", str(write_file("export.csv", body)), "--uai", UAI, "--state-dir", str(state_dir)]) == 0
    assert "identique à celui de la dernière importation" in capsys.readouterr().out
