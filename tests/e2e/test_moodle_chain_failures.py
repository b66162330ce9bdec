"""The local chain writing to a Moodle (`run --moodle URL`) when things go wrong, and from the command line:
a Moodle down then back, 5xx retried, a duplicate delivery, no token. The fake Moodle server on loopback is
reached over HTTP from the in-process handlers, as a real one would be (the import scenarios themselves are
in test_moodle_chain.py)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from elea.models.import_record import ImportStatus
from elea_cli.main import main
from elea_local.runner import LocalChain
from tests.e2e.conftest import E2E_PARAMETERS, UAI, OperatorChain
from tests.fakes.fake_moodle import FakeMoodle
from tests.fixtures.chain_rosters import ent_csv, ent_school

pytestmark = pytest.mark.e2e


def ascii_login(login: str) -> str:
    # Real ENT logins are plain ASCII (Moodle's usernames are [-.@_a-z0-9]); the generator's keep accents.
    return unicodedata.normalize("NFKD", login).encode("ascii", "ignore").decode()


SCHOOL = [replace(row, login=ascii_login(row.login)) for row in ent_school(40, teachers=6)]
PEOPLE = len(SCHOOL)
JSON_KEYS = {"import_id", "status", "counts", "cohorts", "held", "export_deleted", "failure", "issues", "report_files"}


@pytest.fixture
def moodle(fake_moodle: FakeMoodle, monkeypatch: pytest.MonkeyPatch) -> FakeMoodle:
    # The token as a manager gives it: in the environment, never on the command line.
    monkeypatch.setenv("ELEA_MOODLE_TOKEN", fake_moodle.token)
    monkeypatch.delenv("ELEA_MOODLE_TOKEN_FILE", raising=False)
    return fake_moodle


@pytest.fixture
def moodle_chain(state_dir: Path, moodle: FakeMoodle) -> Callable[[], LocalChain]:
    return lambda: OperatorChain(state_dir, parameter_overrides=E2E_PARAMETERS, moodle_url=moodle.url)


def test_a_moodle_that_is_down_fails_the_import_in_french_and_a_later_import_finishes_the_job(
    moodle_chain: Callable[[], LocalChain], moodle: FakeMoodle, write_file: Callable[[str, bytes], Path]
) -> None:
    # GIVEN the school's Moodle does not answer at all
    moodle.go_down()
    # WHEN the school drops its export
    down = moodle_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # THEN the import failed after the client's and the state machine's retries, the school is told why
    # in French and what to do, and its export is deleted anyway
    assert down.status is ImportStatus.FAILED
    assert down.record is not None
    assert down.record.failure is not None
    assert down.record.failure.code == "platform_unavailable"
    assert "la plateforme éléa n'a pas répondu" in down.record.failure.message.lower()
    assert down.report is not None
    assert down.report.failure == down.record.failure
    assert down.export_deleted
    assert down.leftover_keys == []
    unanswered = {"MoodleUnavailable", "PlatformUnavailable"}
    retried = [record for record in down.invocations if record.error_type in unanswered]
    assert len(retried) > 1  # the step was retried before giving up
    # WHEN Moodle is back and the same file is dropped again THEN that import does the whole job
    moodle.come_back()
    later = moodle_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert later.status is ImportStatus.COMPLETED
    assert later.record is not None
    assert later.record.counts is not None
    assert later.record.counts.created == PEOPLE
    assert moodle.user(SCHOOL[-1].login.lower()) is not None


def test_moodle_errors_5xx_are_retried_by_the_client_then_by_the_state_machine(
    moodle_chain: Callable[[], LocalChain], moodle: FakeMoodle, write_file: Callable[[str, bytes], Path]
) -> None:
    # GIVEN Moodle answers HTTP 500 to more calls in a row than the client tries (4): the step fails once
    # with MoodleUnavailable, and the state machine's Retry runs it again
    moodle.fail_next(6, kind="http_500")
    result = moodle_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # THEN the import completed with exact counts: nobody missing, nobody twice
    assert result.status is ImportStatus.COMPLETED
    assert result.record is not None
    assert result.record.counts is not None
    assert result.record.counts.created == PEOPLE
    assert any(record.error_type == "MoodleUnavailable" for record in result.invocations)
    again = moodle_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert again.record is not None
    assert again.record.counts is not None
    assert again.record.counts.unchanged == PEOPLE


def test_the_same_object_delivered_twice_creates_each_moodle_account_once(
    moodle_chain: Callable[[], LocalChain], moodle: FakeMoodle, write_file: Callable[[str, bytes], Path]
) -> None:
    result = moodle_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI, deliveries=2)
    assert result.execution_statuses == ["SUCCEEDED", "SUCCEEDED"]
    assert [record.function for record in result.invocations].count("ReportFunction") == 1
    assert moodle.calls["core_user_create_users"] >= 1
    created = sum(1 for row in SCHOOL if moodle.user(row.login.lower()) is not None)
    assert created == PEOPLE
    again = moodle_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert again.record is not None
    assert again.record.counts is not None
    assert (again.record.counts.unchanged, again.record.counts.created) == (PEOPLE, 0)


def test_run_and_approve_with_moodle_from_the_command_line(
    tmp_path: Path, moodle: FakeMoodle, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(tmp_path / "state")
    # WHEN a manager runs the import against the Moodle, as JSON
    target = ["--uai", UAI, "--moodle", moodle.url, "--state-dir", state, "--json"]
    # (the school's first run names its basin, as an operator does)
    code = main(["run", str(write_file("export.csv", ent_csv(SCHOOL))), *target, "--basin", "3"])
    first = json.loads(capsys.readouterr().out)
    # THEN the JSON report keeps its keys
    assert code == 0
    assert set(first) >= JSON_KEYS
    assert first["counts"]["created"] == PEOPLE
    # GIVEN then 25 pupils leave at once: above the safety limit, their suspensions are held
    code = main(["run", str(write_file("export.csv", ent_csv(SCHOOL[25:]))), *target])
    held = json.loads(capsys.readouterr().out)
    assert code == 0
    assert held["held"] == 25
    assert not moodle.user(SCHOOL[0].login.lower()).suspended  # type: ignore[union-attr]
    # WHEN the manager approves them against the same Moodle
    code = main(["approve", held["import_id"], "--moodle", moodle.url, "--state-dir", state])
    # THEN they are suspended in Moodle, not deleted
    assert code == 0
    assert "25 comptes suspendus" in capsys.readouterr().out
    leaver = moodle.user(SCHOOL[0].login.lower())
    assert leaver is not None
    assert leaver.suspended


def test_run_with_moodle_but_no_token_stops_before_anything_in_french(
    tmp_path: Path,
    fake_moodle: FakeMoodle,
    monkeypatch: pytest.MonkeyPatch,
    write_file: Callable[[str, bytes], Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("ELEA_MOODLE_TOKEN", raising=False)
    monkeypatch.delenv("ELEA_MOODLE_TOKEN_FILE", raising=False)
    export = write_file("export.csv", ent_csv(SCHOOL))
    code = main(["run", str(export), "--uai", UAI, "--moodle", fake_moodle.url, "--state-dir", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code != 0
    assert "ELEA_MOODLE_TOKEN" in err
    assert "Traceback" not in err
    assert fake_moodle.calls == {}
