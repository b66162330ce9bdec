"""`elea-import parse FILE --uai UAI` runs the import's school check before showing the file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from elea_cli.main import main
from tests.fixtures.chain_rosters import ent_csv, ent_school

OURS = "0771234Y"
OTHER = "0750654D"


def _export(tmp_path: Path, structures: list[str]) -> Path:
    rows = [replace(row, structures=cell) for row, cell in zip(ent_school(len(structures)), structures, strict=True)]
    path = tmp_path / "export.csv"
    path.write_bytes(ent_csv(rows))
    return path


def test_another_schools_file_exits_2_with_the_stable_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(tmp_path, [f"B ({OTHER})"] * 3 + [f"A ({OURS})"])
    assert main(["parse", str(path), "--uai", OURS]) == 2
    err = capsys.readouterr().err
    assert "appartient à un autre établissement" in err
    assert "Code : uai_mismatch" in err


def test_a_row_of_another_school_is_listed_as_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(tmp_path, [f"A ({OURS})"] * 3 + [f"B ({OTHER})"])
    assert main(["parse", str(path), "--uai", OURS]) == 0
    out = capsys.readouterr().out
    assert "3 personnes lues" in out
    assert "ligne 5 : Cette personne n'est rattachée qu'à un autre établissement" in out


def test_an_export_naming_no_school_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _export(tmp_path, ["", ""])
    assert main(["parse", str(path), "--uai", OURS]) == 0
    assert "n'indique aucun établissement" in capsys.readouterr().out


def test_json_keeps_its_keys_adds_the_content_date_and_holds_no_per_person_school_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [replace(row, structures=f"A ({OURS})", last_login="20-11-2026 10:00") for row in ent_school(2)]
    path = tmp_path / "export.csv"
    path.write_bytes(ent_csv(rows))
    assert main(["parse", str(path), "--json"]) == 0
    roster = json.loads(capsys.readouterr().out)
    assert {"format", "encoding", "uai", "people", "classes", "issues"} <= set(roster)
    assert roster["uai"] == OURS
    assert roster["content_date"] == "2026-11-20"
    assert "school_uais" not in roster
    assert "structure_names" not in roster
