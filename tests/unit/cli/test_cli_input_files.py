"""Files named on the command line: missing, unreadable or unwritable ones get French, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from elea_cli.main import main


@pytest.mark.parametrize("command", ["parse", "establishment load"])
def test_missing_file_is_refused_in_french(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a path that does not exist
    missing = tmp_path / "export.csv"
    # WHEN the command is given it
    code = main([*command.split(), str(missing), *(["--state-dir", str(tmp_path / "s")] if "load" in command else [])])
    # THEN exit 2 with a French message, the file and a stable code
    err = capsys.readouterr().err
    assert code == 2
    assert "introuvable" in err
    assert "Code : file_not_found" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_refused_in_french(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a file the user may not read
    locked = tmp_path / "export.csv"
    locked.write_text("x", encoding="utf-8")
    locked.chmod(0)
    # WHEN parsed THEN refused with its own code
    assert main(["parse", str(locked)]) == 2
    assert "Code : file_unreadable" in capsys.readouterr().err


def test_a_directory_is_not_an_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a directory named like an export WHEN parsed THEN refused as a folder, no traceback
    (tmp_path / "export.csv").mkdir()
    assert main(["parse", str(tmp_path / "export.csv")]) == 2
    assert "Code : not_a_file" in capsys.readouterr().err
