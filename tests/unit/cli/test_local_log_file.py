"""The local log file `{state-dir}/logs/elea-import.log`: each line once, the handlers' in JSON."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from elea.observability import logger
from elea_cli.main import main
from elea_local.runner import LocalChain


def test_each_handler_line_is_written_once_as_json_and_other_libraries_still_log(tmp_path: Path) -> None:
    # GIVEN a local session (as every local command opens one)
    chain = LocalChain(tmp_path / "state")
    # WHEN the code logs through Powertools and a library logs through the standard logging
    with chain.session():
        logger.info("one handler line", extra={"count": 3})
        logging.getLogger("moto.example").warning("one library line")
    lines = chain.state.log_file.read_text(encoding="utf-8").splitlines()
    # THEN the handler's line is there once, as Powertools JSON, and not again as bare text
    [handler_line] = [line for line in lines if "one handler line" in line]
    record = json.loads(handler_line)
    assert (record["message"], record["service"], record["count"]) == ("one handler line", "elea-import", 3)
    # AND the library's line (moto's warnings) still reaches the log, once
    assert [line for line in lines if "one library line" in line] == ["one library line"]


def test_a_command_logs_its_handler_lines_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # WHEN an establishment is registered (its activation e-mail is logged by the shared code)
    state = tmp_path / "state"
    assert (
        main(
            [
                "establishment",
                "add",
                "0771234Y",
                "--dept",
                "77",
                "--basin",
                "3",
                "--name",
                "Collège",
                "--state-dir",
                str(state),
            ]
        )
        == 0
    )
    capsys.readouterr()
    # THEN the log says so once, in JSON
    lines = (state / "logs" / "elea-import.log").read_text(encoding="utf-8").splitlines()
    sent = [line for line in lines if "activation e-mail sent" in line]
    assert len(sent) == 1
    assert json.loads(sent[0])["uai"] == "0771234Y"
