"""`--state-dir DIR` (the local moto platform, by default) or `--deployed` (the stack on AWS): one or the other."""

from __future__ import annotations

import argparse
from pathlib import Path

from elea_local.state_dir import DEFAULT_STATE_DIR


def add_state_dir(parser: argparse._ActionsContainer) -> None:
    """`--state-dir DOSSIER`, worded the same in every command that works on the local platform."""
    parser.add_argument(
        "--state-dir",
        type=Path,
        metavar="DOSSIER",
        default=DEFAULT_STATE_DIR,
        help="Dossier de la plateforme locale, conservée entre deux commandes (tables, courriels .eml) ; "
        f"par défaut {DEFAULT_STATE_DIR}/.",
    )


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group()
    add_state_dir(target)
    target.add_argument(
        "--deployed",
        action="store_true",
        help="Agit sur la pile déployée (AWS, identifiants boto3 habituels) ; noms des tables, du compartiment "
        "et de l'expéditeur dans les variables ELEA_* (sorties de la pile).",
    )
