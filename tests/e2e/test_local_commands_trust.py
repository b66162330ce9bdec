"""Issue 9, items 6 and 8: the local commands as a user meets them, and failures that tell the truth."""

from __future__ import annotations

import email
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from elea.models.import_record import ImportStatus
from elea.models.written_before_failure import NOTHING_WRITTEN
from elea_cli.french_report import render_text
from elea_cli.main import main
from elea_local.lambdas import Invocation
from elea_local.runner import LocalChain
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import ent_csv, ent_school

pytestmark = pytest.mark.e2e

SCHOOL = ent_school(40, teachers=6, relatives=4)
IMPORTED = 46  # 40 students and 6 teachers, in three chunks of 20


class FailLastChunk:
    """The third chunk fails, with an error no Retry covers, once the first two were applied (the Map
    runs them at once: waiting on them makes "what was written before" the same at every run)."""

    def __init__(self) -> None:
        self._applied = threading.Semaphore(0)

    def __call__(self, invocation: Invocation, proceed: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        if invocation.function != "UsersFunction":
            return proceed()
        if invocation.payload["chunk"]["index"] != 2:
            answer = proceed()
            self._applied.release()
            return answer
        for _ in range(2):
            assert self._applied.acquire(timeout=120)  # a guard against a hang, not a timing
        error = {"errorType": "UnexpectedError", "errorMessage": "Panne injectée."}
        return {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": error}


def _mail_text(path: Path) -> str:
    parsed = email.message_from_bytes(path.read_bytes())
    text = next(part for part in parsed.walk() if part.get_content_type() == "text/plain")
    return text.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]


def test_a_failure_after_writes_says_what_was_written_then_the_same_file_completes_the_job(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    # GIVEN an import whose last chunk fails for good, after the others were applied
    failed = make_chain(FailLastChunk()).run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert failed.status is ImportStatus.FAILED
    assert failed.record is not None
    assert failed.record.failure is not None
    written = failed.record.failure.written
    assert written is not None
    assert failed.record.counts is not None
    assert written.created == failed.record.counts.created
    assert written.created == 40  # the first two chunks of 20
    assert written.interrupted
    # THEN the CLI's French report, report.json and the failure e-mail say how many were created
    sentence = f"{written.created} comptes ont été créés avant l'erreur."
    text = render_text(failed)
    assert sentence in text
    assert NOTHING_WRITTEN not in text
    assert "UnexpectedError" not in text
    assert failed.report is not None
    assert failed.report.counts.created == written.created
    [failure_mail] = [path for path in failed.mails if "import_failure" in path.name]
    mail = _mail_text(failure_mail)
    assert sentence in mail
    assert "Aucun compte n'a été modifié" not in mail
    assert "technical_failure" not in mail
    assert "UnexpectedError" not in mail
    # WHEN the same file is dropped again on a healthy chain
    again = make_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    # THEN the job is completed: the rest is created, what was done is unchanged, nothing doubled
    assert again.status is ImportStatus.COMPLETED
    assert again.record is not None
    assert again.record.counts is not None
    assert again.record.counts.created == IMPORTED - written.created
    assert again.record.counts.unchanged == written.created
    final = make_chain().run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert final.record is not None
    assert final.record.counts is not None
    assert final.record.counts.unchanged == IMPORTED


def test_an_unregistered_school_is_refused_without_basin_and_nobody_is_mailed(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a fresh local platform and a school nobody registered
    state = tmp_path / "state"
    export = write_file("export.csv", ent_csv(ent_school(5)))
    # WHEN it is run without --basin
    code = main(["run", str(export), "--uai", UAI, "--state-dir", str(state)])
    captured = capsys.readouterr()
    # THEN it is refused in French, saying how to register (department from the UAI, the state dir in use)
    assert code == 2
    assert "n'est pas inscrit" in captured.err
    assert f"elea-import establishment add {UAI} --dept 75 --basin Y" in captured.err
    assert f"--state-dir {state}" in captured.err
    assert "Code : establishment_not_registered" in captured.err
    assert "Traceback" not in captured.err + captured.out
    # AND no e-mail went out
    assert not list(state.glob("mail/*.eml"))


def test_an_explicit_basin_registers_the_school_in_the_department_of_its_uai(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a school of department 75 WHEN it is run with --basin 4
    state = tmp_path / "state"
    code = main(["run", str(write_file("export.csv", ent_csv(ent_school(5)))), "--uai", UAI, "--basin", "4",
                 "--state-dir", str(state), "--json"])  # fmt: skip
    captured = capsys.readouterr()
    # THEN it is imported, and the warning names its basin and department
    assert code == 0
    assert json.loads(captured.out)["status"] == "completed"
    assert "dans le bassin 4" in captured.err
    assert f"--dept 75 --basin 4 --name « … » --state-dir {state}" in captured.err


def test_the_hint_for_held_suspensions_names_the_state_dir_in_use(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a school imported, then a file where 30 of its 46 accounts are missing
    state = str(tmp_path / "elsewhere")
    run = ["--uai", UAI, "--basin", "3", "--state-dir", state]
    assert main(["run", str(write_file("export.csv", ent_csv(SCHOOL))), *run]) == 0
    kept = [row for row in SCHOOL if row.type == "Élève"][:16]
    capsys.readouterr()
    # WHEN it is run
    assert main(["run", str(write_file("export.csv", ent_csv(kept))), *run]) == 0
    # THEN the approve command it suggests works as typed: it names this state dir
    [hint] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Pour les suspendre")]
    assert hint.endswith(f"--state-dir {state}")
    import_id = hint.split("approve ")[1].split()[0]
    assert main(["approve", import_id, "--state-dir", state]) == 0
