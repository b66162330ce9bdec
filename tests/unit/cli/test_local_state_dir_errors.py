"""`run` and `approve` with a state dir or an output the manager cannot use: French refusals, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from elea_cli.main import main

UAI = "0771234Y"
SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample" / "export.csv"


def test_a_state_dir_that_is_a_file_is_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a --state-dir that names a file
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    # WHEN a run and an approval use it
    for argv in (["run", str(SAMPLE), "--uai", UAI, "--basin", "3"], ["approve", "0" * 24]):
        code = main([*argv, "--state-dir", str(not_a_folder)])
        err = capsys.readouterr().err
        # THEN each ends with exit 2, a French message and a stable code
        assert code == 2
        assert "n'est pas utilisable" in err
        assert "Code : state_dir_unusable" in err


def test_an_unreadable_saved_platform_is_refused_in_french(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a state dir whose saved platform was damaged
    state = tmp_path / "state"
    state.mkdir()
    (state / "platform-state.json").write_text("{ pas du JSON", encoding="utf-8")
    # WHEN an approval loads it THEN it is refused with a stable code, nothing overwritten
    code = main(["approve", "0" * 24, "--state-dir", str(state)])
    assert code == 2
    assert "Code : state_dir_corrupt" in capsys.readouterr().err
    assert (state / "platform-state.json").read_text(encoding="utf-8") == "{ pas du JSON"


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    # GIVEN `run --json` piped into a reader that has already gone (`| head -c 0`)
    export = tmp_path / "export.csv"
    export.write_bytes(b"")
    command = [sys.executable, "-m", "elea_cli.main", "run", str(export), "--uai", UAI, "--basin", "3", "--json"]
    command += ["--state-dir", str(tmp_path / "state")]
    reader = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None
    reader.stdout.close()
    _, err = reader.communicate(timeout=120)
    # THEN the import still went through and nothing but its own messages reach stderr
    assert b"Traceback" not in err
    assert b"BrokenPipeError" not in err
    # AND the closed pipe does not hide that the (empty) file was refused
    assert reader.returncode == 2
