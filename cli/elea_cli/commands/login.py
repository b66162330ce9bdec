"""`elea-import login UAI --password PW`: POST /login through the real handler, locally."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from elea.auth.errors import PasswordChangeRequired
from elea_cli.commands.activate import print_answer
from elea_cli.targets.arguments import add_state_dir
from elea_cli.targets.operator_session import local_session
from elea_local.auth_function import call_auth

PASSWORD_CHANGE_REQUIRED = PasswordChangeRequired.code


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "login", help="Se connecte au compte de gestion (appel local de POST /login)."
    )
    parser.add_argument("uai", help="Identifiant : le code UAI de l'établissement.")
    parser.add_argument("--password", help="Le mot de passe (demandé s'il n'est pas donné).")
    add_state_dir(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    password = args.password or getpass.getpass("Mot de passe : ")
    with local_session(args.state_dir):
        answer = call_auth("POST", "/login", {"uai": args.uai, "password": password})
    exit_code = print_answer(answer)
    if answer.body.get("code") == PASSWORD_CHANGE_REQUIRED:
        # Locally the "courriel" is an .eml file and the link's page is the activate command.
        print(
            f"Localement : le lien est dans le courriel d'activation sous {args.state_dir / 'mail'}/ (…#token=JETON) ; "
            f"elea-import activate JETON --password NOUVEAU_MOT_DE_PASSE --state-dir {args.state_dir}"
        )
        print(
            f"Nouveau lien : elea-import establishment resend {args.uai.strip().upper()} --state-dir {args.state_dir}"
        )
    return exit_code
