"""`elea-import parse FILE [--json]`: reads an export and shows what it holds."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "parse", help="Lit un export ENT ou SIECLE et affiche son contenu."
    )
    parser.add_argument("file", type=Path, help="Le fichier exporté (export.csv, ElevesSansAdresses.xml/zip…)")
    parser.add_argument("--json", action="store_true", help="Affiche le résultat en JSON.")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("parse: implemented by the roster-reading work")
