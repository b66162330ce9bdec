"""French lines the accounts commands print, shared so every command says things the same way."""

from __future__ import annotations

import argparse
from pathlib import Path

from elea_local.state_dir import DEFAULT_STATE_DIR


def add_state_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state-dir",
        type=Path,
        metavar="DOSSIER",
        default=DEFAULT_STATE_DIR,
        help=f"Dossier de l'état local (tables, courriels .eml) ; par défaut {DEFAULT_STATE_DIR}/.",
    )


def print_mails(mails: list[Path]) -> None:
    if not mails:
        return
    print("Courriels envoyés (à ouvrir avec votre messagerie) :")
    for path in mails:
        print(f"  {path}")
