"""`--help`, usage errors, unknown commands and `--version`, in French (issue 9, item 8)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from elea_cli.french_argparse import FRENCH
from elea_cli.main import COMMAND_MODULES, build_parser, main

ENGLISH = re.compile(
    r"\busage:|\berror:|positional arguments|show this help|the following arguments|invalid choice|"
    r"unrecognized arguments|expected one argument|invalid \w+ value"
)


def _exit(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    captured = capsys.readouterr()
    return int(stopped.value.code or 0), captured.out, captured.err


def test_the_help_of_every_command_is_french(capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN the main help and each sub-command's
    commands = [[], *[[name] for name in build_parser()._subparsers._group_actions[0].choices]]  # type: ignore[union-attr]
    assert len(commands) > len(COMMAND_MODULES)
    for command in commands:
        # WHEN it is asked for
        code, out, _ = _exit([*command, "--help"], capsys)
        # THEN it is in French, argparse's own words included
        assert code == 0
        assert out.startswith("utilisation : elea-import")
        assert "affiche cette aide et s'arrête" in out
        assert not ENGLISH.search(out), out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["importer"], "COMMANDE : choix inconnu : 'importer'"),
        (["run"], "arguments obligatoires manquants : FICHIER, --uai"),
        (["run", "export.csv", "--uai"], "--uai : une valeur est attendue"),
        (["parse", "export.csv", "--max-mb", "beaucoup"], "--max-mb : valeur incorrecte : 'beaucoup'"),
        (["parse", "export.csv", "--en-trop"], "arguments non reconnus : --en-trop"),
        ([], "arguments obligatoires manquants : COMMANDE"),
    ],
)
def test_usage_errors_and_unknown_commands_are_french_and_say_where_help_is(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # WHEN the command is mistyped
    code, _, err = _exit(argv, capsys)
    # THEN exit 2, the usage, the error in French, and where to find help
    assert code == 2
    assert err.startswith("utilisation : elea-import")
    assert expected in err
    assert "erreur :" in err
    assert "Que faire : vérifiez la commande ; l'aide : elea-import" in err
    assert not ENGLISH.search(err), err


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _exit(["--version"], capsys)
    assert code == 0
    assert re.fullmatch(r"elea-import \d+\.\d+\.\d+\n", out)


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    # A translation that dropped or renamed a placeholder would crash argparse's own formatting.
    placeholder = re.compile(r"%\(\w+\)[rs]|%[rs]")
    for english, french in FRENCH.items():
        assert sorted(placeholder.findall(english)) == sorted(placeholder.findall(french)) or (
            english == "invalid %(type)s value: %(value)r"  # the type name (`float`) is left out on purpose
        )


def test_the_installed_command_speaks_french_too() -> None:
    # GIVEN the console script's own process (no test harness around argparse)
    answer = subprocess.run(
        [sys.executable, "-m", "elea_cli.main", "run"], capture_output=True, text=True, timeout=120, check=False
    )
    assert answer.returncode == 2
    assert "arguments obligatoires manquants" in answer.stderr
    assert "Traceback" not in answer.stderr
