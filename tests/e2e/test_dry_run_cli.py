"""`elea-import run FILE --uai UAI --dry-run [--json]` on the local chain (issue 8, item 6)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from elea.models.import_record import ImportStatus
from elea_cli.main import main
from elea_local.runner import LocalChain
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import ent_csv, ent_school

pytestmark = pytest.mark.e2e

SCHOOL = ent_school(30, teachers=4)
RUN = ["--uai", UAI, "--basin", "3"]


def _platform_items(state: Path) -> Any:
    return json.loads((state / "platform-state.json").read_text(encoding="utf-8"))["tables"]["PlatformTable"]


def test_a_dry_run_prints_the_plan_as_json_and_leaves_the_platform_as_it_was(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a school imported once
    state = tmp_path / "state"
    assert main(["run", str(write_file("export.csv", ent_csv(SCHOOL))), *RUN, "--state-dir", str(state)]) == 0
    before = _platform_items(state)
    capsys.readouterr()
    # WHEN a changed export (4 gone, 2 new) is run with --dry-run --json
    changed = ent_csv(SCHOOL[:-4] + ent_school(2, start=100))
    code = main(["run", str(write_file("export.csv", changed)), *RUN, "--state-dir", str(state), "--dry-run", "--json"])
    plan = json.loads(capsys.readouterr().out)
    # THEN the plan says what would happen
    assert code == 0
    assert plan["dry_run"] is True
    outcomes = [account["outcome"] for account in plan["accounts"]]
    assert outcomes.count("created") == 2
    assert outcomes.count("suspended") == 4
    assert plan["cohorts"]["unchanged"] == 4
    assert plan["unchanged"] == len(SCHOOL) - 4
    # AND the platform's items are exactly what they were
    assert _platform_items(state) == before


def test_a_dry_run_in_french_names_the_changes_and_how_to_apply_them(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    code = main(["run", str(write_file("export.csv", ent_csv(SCHOOL))), *RUN, "--state-dir", str(state), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert "APERÇU DE L'IMPORTATION : rien n'a été modifié sur la plateforme." in out
    assert "Cohortes à créer : 4 (5A, 5B, 6A, 6B)" in out
    assert f"Comptes à créer : {len(SCHOOL)}" in out
    assert "la même commande sans --dry-run" in out


def test_the_export_of_a_local_dry_run_is_deleted_and_the_import_recorded_as_cancelled(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    result = make_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI, dry_run=True)
    assert result.plan is not None
    assert result.record is not None
    assert result.record.status is ImportStatus.CANCELLED
    assert result.leftover_keys == []
    assert result.mails == [] or all("import_report" not in path.name for path in result.mails)
