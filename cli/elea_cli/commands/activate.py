"""`elea-import activate TOKEN --password NEW`: POST /activation through the real handler, locally."""

from __future__ import annotations

import argparse
import getpass
from typing import Any

from elea_cli.targets.arguments import add_state_dir
from elea_cli.targets.operator_session import local_session
from elea_local.auth_function import HttpAnswer, call_auth

EXIT_OK = 0
EXIT_REFUSED = 2


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "activate", help="Active le compte de gestion avec le jeton du courriel (appel local de POST /activation)."
    )
    parser.add_argument("token", help="Le jeton du lien d'activation (ce qui suit #token=).")
    parser.add_argument("--password", help="Le nouveau mot de passe (demandé s'il n'est pas donné).")
    add_state_dir(parser)
    parser.set_defaults(func=run)


def print_answer(answer: HttpAnswer) -> int:
    body = answer.body
    if answer.status == 200:
        print(" ".join(part for part in (body.get("message"), body.get("platform_url")) if part))
        return EXIT_OK
    print(f"Erreur : {body.get('message')}")
    if body.get("hint"):
        print(f"Que faire : {body['hint']}")
    print(f"Code : {body.get('code')} (HTTP {answer.status})")
    return EXIT_REFUSED


def run(args: argparse.Namespace) -> int:
    password = args.password or getpass.getpass("Nouveau mot de passe : ")
    with local_session(args.state_dir):
        answer = call_auth("POST", "/activation", {"token": args.token, "new_password": password})
    return print_answer(answer)
