"""`elea-import run` and `approve` as a manager types them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from elea_cli.main import main
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import ent_csv, ent_school, siecle_zip

pytestmark = pytest.mark.e2e


def test_run_prints_progress_and_the_french_report(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_file("export.csv", ent_csv(ent_school(12, teachers=2)))
    code = main(["run", str(export), "--uai", UAI, "--basin", "3", "--state-dir", str(tmp_path / "state")])
    out = capsys.readouterr().out
    assert code == 0
    assert "14 utilisateurs en cours de traitement…" in out
    assert "0 utilisateurs actualisés, 14 utilisateurs créés, 0 utilisateurs protégés" in out
    assert "Fichier d'export supprimé du dépôt." in out
    assert '"level"' not in out  # the handlers' JSON logs went to the state dir's log


def test_run_json_then_unchanged_rerun(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(tmp_path / "state")
    body = ent_csv(ent_school(12, teachers=2))
    main(["run", str(write_file("export.csv", body)), "--uai", UAI, "--basin", "3", "--state-dir", state, "--json"])
    first = json.loads(capsys.readouterr().out)
    code = main(
        ["run", str(write_file("export.csv", body)), "--uai", UAI, "--basin", "3", "--state-dir", state, "--json"]
    )
    second = json.loads(capsys.readouterr().out)
    assert code == 0
    assert first["counts"]["created"] == 14
    assert second["counts"] == {
        "created": 0, "updated": 0, "unchanged": 14, "protected": 0, "suspended": 0, "skipped": 0, "errors": 0,
    }  # fmt: skip
    assert second["cohorts"] == {"created": 0, "unchanged": 4, "emptied": 0}
    assert second["held"] == 0
    assert second["export_deleted"] is True
    assert second["import_id"] != first["import_id"]


def test_a_refused_file_exits_2_with_a_french_message(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["run", str(write_file("export.csv", b"")), "--uai", UAI, "--basin", "3", "--state-dir", str(tmp_path / "s")]
    )
    out = capsys.readouterr().out
    assert code == 2
    assert "IMPORTATION REFUSÉE" in out
    assert "Fichier d'export supprimé du dépôt." in out
    assert "Traceback" not in out


def test_approve_without_held_suspensions_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["approve", "0" * 24, "--state-dir", str(tmp_path / "s")])
    assert code == 2
    assert "Aucun import" in capsys.readouterr().err


def test_a_siecle_run_names_the_per_row_report_and_the_login_sheets_apart(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a SIECLE export (new local accounts get login sheets beside the report)
    export = write_file("ElevesSansAdresses.zip", siecle_zip(UAI, 6))
    # WHEN it is run
    code = main(["run", str(export), "--uai", UAI, "--basin", "3", "--state-dir", str(tmp_path / "state")])
    out = capsys.readouterr().out
    # THEN « Rapport détaillé » is the per-row report, not the sheets' CSV, and the sheets are listed apart
    assert code == 0
    [report_line] = [line for line in out.splitlines() if line.startswith("Rapport détaillé")]
    assert report_line.endswith("/report.csv")
    assert "Fiches de connexion des nouveaux comptes sans ENT" in out
    assert "fiches-de-connexion.html" in out
    assert "fiches-de-connexion.csv" in out
