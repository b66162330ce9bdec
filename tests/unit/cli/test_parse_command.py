"""`elea-import parse`: the French summary, the JSON roster, and refusals as exit code 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from elea_cli.main import main
from tests.fixtures.ent_export import EntAccount, render_ent
from tests.fixtures.generator import SAMPLE_DIR

SAMPLE = SAMPLE_DIR / "export.csv"


def test_summary_counts_people_by_profile_and_by_class(capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the bundled sample WHEN parsed without --json
    code = main(["parse", str(SAMPLE)])
    # THEN exit 0 and a French summary with the counts
    out = capsys.readouterr().out
    assert code == 0
    for expected in (
        "570 personnes lues",
        "440 élèves",
        "46 enseignants",
        "15 personnels",
        "67 parents",
        "2 invités",
        "20 classes",
        "6A : 22 élèves",
        "Aucun problème relevé.",
        "encodage utf-8-sig",
    ):
        assert expected in out


def test_json_prints_the_roster(capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the sample WHEN parsed with --json
    code = main(["parse", str(SAMPLE), "--json"])
    data = json.loads(capsys.readouterr().out)
    # THEN the roster's documented keys are there
    assert code == 0
    assert {"format", "encoding", "uai", "people", "classes", "issues"} <= data.keys()
    assert data["format"] == "ent-csv"
    assert data["encoding"] == "utf-8-sig"
    assert data["uai"] is None
    assert len(data["people"]) == 570
    assert {"id", "login", "last_name", "first_name", "profile", "classes"} <= data["people"][0].keys()
    assert "6A" in data["classes"]
    assert data["issues"] == []


def _broken_export(tmp_path: Path, broken_rows: int) -> Path:
    good = EntAccount(id="1", profile="student", last_name="DURAND", first_name="Zoé", login="zoe.durand")
    broken = [
        EntAccount(id=str(100 + n), profile="student", last_name="", first_name="Léo", login=f"leo{n}")
        for n in range(broken_rows)
    ]
    path = tmp_path / "export(1).csv"
    path.write_bytes(render_ent([good, *broken]))
    return path


def test_row_issues_are_listed_with_their_line_and_exit_is_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN an export (under another name) with 12 rows lacking a name
    path = _broken_export(tmp_path, 12)
    # WHEN parsed
    code = main(["parse", str(path)])
    out = capsys.readouterr().out
    # THEN it was read: exit 0, the first 10 issues shown with their line
    assert code == 0
    assert "1 personne lue" in out
    assert "12 problèmes relevés (12 erreurs, 0 avertissement), les 10 premiers" in out
    assert "  ligne 3 : Colonne vide : « Nom »." in out
    assert "ligne 12 :" in out
    assert "ligne 13 :" not in out


def test_json_issues_have_line_severity_code_and_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["parse", str(_broken_export(tmp_path, 1)), "--json"])
    issue = json.loads(capsys.readouterr().out)["issues"][0]
    assert {"line": issue["line"], "severity": issue["severity"], "code": issue["code"]} == {
        "line": 3,
        "severity": "error",
        "code": "missing_name",
    }
    assert issue["message"]


def test_a_refused_file_exits_2_with_a_french_message_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a CSV that is not an ENT export
    path = tmp_path / "notes.csv"
    path.write_text("Élève;Note\nDURAND;12\n", encoding="utf-8")
    # WHEN parsed
    code = main(["parse", str(path), "--json"])
    captured = capsys.readouterr()
    # THEN exit 2, the refusal in French with file, line, what to do and its code; nothing on stdout
    assert code == 2
    assert captured.out == ""
    assert "Erreur : " in captured.err
    assert "Fichier : notes.csv, ligne 1" in captured.err
    assert "Que faire : " in captured.err
    assert "Code : no_header" in captured.err
    assert "Traceback" not in captured.err


def test_an_empty_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"")
    assert main(["parse", str(path)]) == 2
    assert "Code : empty_file" in capsys.readouterr().err


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the sample (about 90 KB) and a limit of 0.01 MB
    path = tmp_path / "export.csv"
    shutil.copy(SAMPLE, path)
    # WHEN parsed THEN refused before reading
    assert main(["parse", str(path), "--max-mb", "0.01"]) == 2
    assert "Code : file_too_large" in capsys.readouterr().err


def test_a_missing_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(tmp_path / "absent.csv")]) == 2
    assert "Code : file_not_found" in capsys.readouterr().err


def test_a_siecle_export_is_summarised_with_its_uai(capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the SIECLE zip (read by the SIECLE reader behind the same read_roster)
    code = main(["parse", str(SAMPLE_DIR / "ElevesSansAdresses.zip")])
    out = capsys.readouterr().out
    # THEN the summary names the format and the file's UAI
    assert code == 0
    assert "SIECLE « Élèves sans adresses »" in out
    assert "UAI : 0771234Y." in out


def test_a_folder_is_refused_as_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the folder holding the export instead of the export
    # WHEN parsed THEN exit 2, saying it is a folder (not "introuvable")
    assert main(["parse", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Code : not_a_file" in err
    assert "dossier" in err
