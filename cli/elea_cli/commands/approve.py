"""`elea-import approve IMPORT_ID [--moodle URL] [--state-dir DIR | --deployed]`: applies the suspensions an
import held back (with --moodle, in that Moodle)."""

from __future__ import annotations

import argparse
from typing import Any

from elea_cli.commands.run import add_moodle_argument
from elea_cli.targets.arguments import add_target_arguments
from elea_cli.targets.operator_session import operator_session


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "approve",
        help="Applique les suspensions retenues par la limite de sécurité d'un import.",
        description="Suspend les comptes absents du fichier que l'import a retenus par sécurité.",
    )
    parser.add_argument("import_id", help="L'identifiant affiché à la fin de l'import.")
    add_target_arguments(parser)
    add_moodle_argument(parser)
    parser.set_defaults(func=approve)


def approve(args: argparse.Namespace) -> int:
    with operator_session(args) as session:
        approval = session.approve(args.import_id.strip())
    print(
        f"{approval.suspended} comptes suspendus pour l'établissement {approval.uai} "
        f"(import {approval.import_id}). Ils ne sont pas supprimés : un compte qui revient dans un "
        "prochain export est réactivé."
    )
    return 0
