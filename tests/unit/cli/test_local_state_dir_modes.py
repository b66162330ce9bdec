"""The local state dir holds children's data and clear passwords: readable by its user only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from elea_cli.main import main
from elea_local.state_dir import LocalStateDir
from tests.fixtures.chain_rosters import siecle_zip

UAI = "0771234Y"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _modes_under(root: Path) -> dict[str, int]:
    return {str(path.relative_to(root)): _mode(path) for path in sorted(root.rglob("*"))}


def _current_umask() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def test_a_siecle_run_leaves_only_private_folders_and_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a SIECLE export (login sheets with clear passwords) and a state dir that does not exist yet
    export = tmp_path / "ElevesSansAdresses.zip"
    export.write_bytes(siecle_zip(UAI, 3))
    state = tmp_path / "state"
    umask_before = _current_umask()
    # WHEN it is imported (which also registers the school and writes its activation e-mail)
    assert main(["run", str(export), "--uai", UAI, "--basin", "3", "--state-dir", str(state)]) == 0
    capsys.readouterr()
    # THEN every folder is 0700 and every file 0600: the saved platform, the log, the e-mails, the
    # report and the login sheets
    modes = _modes_under(state)
    assert _mode(state) == 0o700
    assert {name for name, mode in modes.items() if mode not in (0o700, 0o600)} == set()
    assert {"platform-state.json", "logs/elea-import.log"} <= set(modes)
    assert any(name.startswith("mail/") and name.endswith(".eml") for name in modes)
    assert any(name.startswith("reports/") and name.endswith("/report.csv") for name in modes)
    assert any(name.endswith("/fiches-de-connexion.csv") for name in modes)
    assert all(mode == 0o600 for name, mode in modes.items() if (state / name).is_file())
    # AND the process's umask is given back once the run is over
    assert _current_umask() == umask_before


def test_a_state_dir_left_readable_by_an_earlier_version_is_closed(tmp_path: Path) -> None:
    # GIVEN a state dir written before: world-readable folders and saved platform
    state = LocalStateDir(tmp_path / "state")
    for folder in (state.root, state.mail_dir, state.reports_dir, state.log_file.parent):
        folder.mkdir(mode=0o755, exist_ok=True)
        folder.chmod(0o755)
    state.state_file.write_text("{}", encoding="utf-8")
    state.state_file.chmod(0o644)
    # WHEN a command opens it
    with state.opened():
        (state.mail_dir / "0001-activation-0771234Y.eml").write_text("x", encoding="utf-8")
    # THEN our folders are 0700 and the files 0600; the --state-dir folder itself is the user's to set
    assert [_mode(folder) for folder in (state.mail_dir, state.reports_dir, state.log_file.parent)] == [0o700] * 3
    assert _mode(state.state_file) == 0o600
    assert _mode(state.mail_dir / "0001-activation-0771234Y.eml") == 0o600
    assert _mode(state.log_file) == 0o600
    assert _mode(state.root) == 0o755
