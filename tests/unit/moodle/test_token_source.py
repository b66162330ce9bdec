"""The local token: ELEA_MOODLE_TOKEN or a file, never both, never empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from elea.dal.moodle.errors import MoodleConfigurationError
from elea.dal.moodle.token_source import local_token


def test_the_token_comes_from_the_variable() -> None:
    assert local_token({"ELEA_MOODLE_TOKEN": " abc123 \n"}) == "abc123"


def test_the_token_comes_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("abc123\n", encoding="utf-8")
    assert local_token({"ELEA_MOODLE_TOKEN_FILE": str(path)}) == "abc123"


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"ELEA_MOODLE_TOKEN": "  "},
        {"ELEA_MOODLE_TOKEN": "a", "ELEA_MOODLE_TOKEN_FILE": "/x"},
        {"ELEA_MOODLE_TOKEN_FILE": "/nonexistent/token"},
    ],
)
def test_no_usable_token_is_a_french_refusal(environ: dict[str, str]) -> None:
    with pytest.raises(MoodleConfigurationError) as caught:
        local_token(environ)
    assert caught.value.code == "moodle_configuration_error"
    assert "ELEA_MOODLE_TOKEN" in (caught.value.hint or "")


def test_a_file_with_more_than_the_token_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text("abc\ndef\n", encoding="utf-8")
    with pytest.raises(MoodleConfigurationError):
        local_token({"ELEA_MOODLE_TOKEN_FILE": str(path)})
