"""Entry point of `elea-import`. Each sub-command lives in its own module under commands/."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from elea.errors import EleaError
from elea_cli.commands import activate, approve, establishment, login, moodle, parse, report, run, serve
from elea_cli.french_argparse import FrenchArgumentParser, speak_french

# Each module exposes register(subparsers) and sets `func` on its parser.
COMMAND_MODULES: tuple[ModuleType, ...] = (
    parse,
    run,
    approve,
    establishment,
    activate,
    login,
    report,
    moodle,
    serve,
)

EXIT_OK = 0
EXIT_REFUSED = 2
EXIT_IO_ERROR = 1


def build_parser() -> argparse.ArgumentParser:
    speak_french()
    parser = FrenchArgumentParser(
        prog="elea-import",
        description="Importe les classes et les comptes d'un établissement dans Éléa.",
    )
    parser.add_argument(
        "--version", action="version", version=f"elea-import {_version()}", help="affiche la version et s'arrête"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE", title="commandes")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def _version() -> str:
    try:
        return importlib.metadata.version("elea-import")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "inconnue"


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
    # BrokenPipeError is an OSError: it must be caught first.
    except BrokenPipeError:
        # The reader stopped early (`elea-import run … --json | head`): the command itself went through.
        # Later writes (and the interpreter's final flush) go nowhere instead of ending in a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        # The disk, not the data: a full disk or a read-only state dir still gets a French sentence.
        target = f" « {error.filename} »" if error.filename else ""
        reason = error.strerror or "erreur système"
        print(f"Erreur : impossible de lire ou d'écrire{target} ({reason}).", file=sys.stderr)
        print("Que faire : vérifiez l'espace disque et les droits sur ce dossier, puis recommencez.", file=sys.stderr)
        print("Code : io_error", file=sys.stderr)
        return EXIT_IO_ERROR


if __name__ == "__main__":
    sys.exit(main())
