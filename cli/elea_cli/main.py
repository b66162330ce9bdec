"""Entry point of `elea-import`. Each sub-command lives in its own module under commands/."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from elea.errors import EleaError
from elea_cli.commands import activate, approve, establishment, login, parse, report, run

# Each module exposes register(subparsers) and sets `func` on its parser.
COMMAND_MODULES: tuple[ModuleType, ...] = (parse, run, approve, establishment, activate, login, report)

EXIT_OK = 0
EXIT_REFUSED = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="elea-import",
        description="Importe les classes et les comptes d'un établissement dans Éléa.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except EleaError as error:
        # A refusal is a French sentence and a stable code, never a traceback.
        print(f"Erreur : {error.message}", file=sys.stderr)
        details = error.to_dict()  # a refused file also names the file and line
        if details.get("file"):
            line = f", ligne {details['line']}" if details.get("line") else ""
            print(f"Fichier : {details['file']}{line}", file=sys.stderr)
        if error.hint:
            print(f"Que faire : {error.hint}", file=sys.stderr)
        print(f"Code : {error.code}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:
        # The reader stopped early (`elea-import run … --json | head`): the command itself went through.
        # Later writes (and the interpreter's final flush) go nowhere instead of ending in a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
