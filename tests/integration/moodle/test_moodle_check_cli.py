"""`elea-import moodle check --moodle URL` against the fake Moodle: what the token lacks, in French."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from elea_cli.main import main
from tests.fakes.fake_moodle import FakeMoodle


def test_a_sufficient_token_exits_0(
    fake_moodle: FakeMoodle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ELEA_MOODLE_TOKEN", fake_moodle.token)
    assert main(["moodle", "check", "--moodle", fake_moodle.url]) == 0
    out = capsys.readouterr().out
    assert "Jeton : suffisant pour importer" in out
    assert "allowaccountssameemail" in out
    assert fake_moodle.token not in out
    # AND the probes wrote nothing: no account, no cohort
    assert fake_moodle.state.next_user_id == 5
    assert not fake_moodle.state.cohorts


def test_a_token_without_view_capabilities_exits_2_naming_them(
    fake_moodle: FakeMoodle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # GIVEN the token in a file, as an operator keeps it
    token_file = tmp_path / "token"
    token_file.write_text(fake_moodle.token_nocap + "\n", encoding="utf-8")
    monkeypatch.delenv("ELEA_MOODLE_TOKEN", raising=False)
    monkeypatch.setenv("ELEA_MOODLE_TOKEN_FILE", str(token_file))
    # WHEN checked
    code = main(["moodle", "check", "--moodle", fake_moodle.url, "--json"])
    # THEN exit 2 and every missing capability is named
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert report["ok"] is False
    assert {"moodle/user:viewdetails", "moodle/user:create", "moodle/cohort:view"} <= set(report["missing"])
    assert all("il manque" in p["message"] for p in report["problems"])


def test_a_missing_function_is_named(
    fake_moodle: FakeMoodle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_moodle.remove_function("core_cohort_delete_cohort_members")
    monkeypatch.setenv("ELEA_MOODLE_TOKEN", fake_moodle.token)
    assert main(["moodle", "check", "--moodle", fake_moodle.url]) == 2
    assert "core_cohort_delete_cohort_members" in capsys.readouterr().out


def test_a_role_lacking_only_viewalldetails_is_caught(
    fake_moodle: FakeMoodle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.fakes.fake_moodle.state import INTEGRATION_CAPABILITIES

    monkeypatch.setenv(
        "ELEA_MOODLE_TOKEN", fake_moodle.token_with(INTEGRATION_CAPABILITIES - {"moodle/user:viewalldetails"})
    )
    assert main(["moodle", "check", "--moodle", fake_moodle.url, "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["missing"] == ["moodle/user:viewalldetails"]


def test_a_bad_token_and_a_plain_http_address_are_refused(
    fake_moodle: FakeMoodle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ELEA_MOODLE_TOKEN", "0" * 32)
    assert main(["moodle", "check", "--moodle", fake_moodle.url]) == 2
    assert "refuse le jeton" in capsys.readouterr().out
    assert main(["moodle", "check", "--moodle", "http://idf-77-3.elea.apps.education.fr"]) == 2
    assert "https://" in capsys.readouterr().err
