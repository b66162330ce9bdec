"""`--state-dir DIR` (the local moto platform, by default) or `--deployed` (the stack on AWS): one or the other."""

from __future__ import annotations

import argparse
from pathlib import Path

from elea_local.state_dir import DEFAULT_STATE_DIR


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help=f"Dossier de l'état local (tables, courriels .eml) ; par défaut {DEFAULT_STATE_DIR}/.",
    )
    target.add_argument(
        "--deployed",
        action="store_true",
        help="Agit sur la pile déployée (AWS, identifiants boto3 habituels) ; noms des tables, du compartiment "
        "et de l'expéditeur dans les variables ELEA_* (sorties de la pile).",
    )
