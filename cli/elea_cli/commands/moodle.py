"""`elea-import moodle check --moodle URL`: what the web-service token lacks for an import, in French.

The token comes from ELEA_MOODLE_TOKEN or ELEA_MOODLE_TOKEN_FILE, never from the command line.
Every probe writes nothing on the platform. Exit 0 when the token is enough, 2 otherwise.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from elea.dal.moodle.token_check import TokenCheck, check_token
from elea.dal.moodle.token_source import local_token
from elea.dal.moodle.web_service import MoodleWebService
from elea.observability import logger

EXIT_OK = 0
EXIT_REFUSED = 2


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "moodle", help="Vérifie la plateforme Moodle (Éléa) et le jeton du service web."
    )
    actions = parser.add_subparsers(dest="action", required=True)
    check = actions.add_parser(
        "check",
        help="Dit ce qui manque au jeton (fonctions, capacités, réglages), sans rien écrire sur la plateforme.",
        description="Le jeton est lu dans ELEA_MOODLE_TOKEN ou dans le fichier nommé par ELEA_MOODLE_TOKEN_FILE.",
    )
    check.add_argument(
        "--moodle", required=True, metavar="URL", help="Adresse de la plateforme, par exemple https://idf-77-3.elea…"
    )
    check.add_argument(
        "--known-username",
        metavar="IDENTIFIANT",
        help="Un compte qui existe sur la plateforme, pour prouver le droit de lecture (défaut : le compte invité).",
    )
    check.add_argument("--json", action="store_true", help="Résultat en JSON.")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    ws = MoodleWebService(args.moodle, local_token(), max_attempts=2)
    try:
        with _warnings_only_on_stderr():
            result = check_token(ws, known_username=args.known_username)
    finally:
        ws.close()
    if args.json:
        print(json.dumps(_as_json(result), ensure_ascii=False, indent=2))
    else:
        _print(result)
    return EXIT_OK if result.ok else EXIT_REFUSED


def _print(result: TokenCheck) -> None:
    if result.site is not None:
        site = result.site
        print(f"Plateforme : {site.sitename} ({site.siteurl}), Moodle {site.release or site.version}")
        print(f"Compte du service web : {site.username}")
    if result.ok:
        print("Jeton : suffisant pour importer (fonctions, droit de lecture et capacités vérifiés).")
    else:
        print(f"Jeton insuffisant pour importer ({len(result.problems)} point(s)) :")
        for problem in result.problems:
            print(f"  - {problem.message}.")
        if result.missing:
            print(f"À ajouter : {', '.join(result.missing)}")
        print("Que faire : complétez le service elea_import ou le rôle du compte de service (voir le README).")
    if result.reminders:
        print("À vérifier aussi sur la plateforme (le service web ne permet pas de le lire) :")
        for reminder in result.reminders:
            print(f"  - {reminder}")


def _as_json(result: TokenCheck) -> dict[str, Any]:
    site = result.site
    return {
        "ok": result.ok,
        "site": None
        if site is None
        else {"sitename": site.sitename, "siteurl": site.siteurl, "release": site.release, "username": site.username},
        "problems": [{"code": p.code, "message": p.message, "missing": p.missing} for p in result.problems],
        "missing": result.missing,
        "reminders": list(result.reminders),
    }


@contextmanager
def _warnings_only_on_stderr() -> Iterator[None]:
    """The probes' refusals are expected (info logs): only warnings (Moodle not answering) reach the operator,
    on stderr, so that stdout stays the report (or JSON)."""
    handler = logger.registered_handler
    stream_handler = handler if isinstance(handler, logging.StreamHandler) else None
    previous_stream = None if stream_handler is None else stream_handler.stream
    previous_level = logger.log_level
    if stream_handler is not None:
        stream_handler.stream = sys.stderr
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous_level)
        if stream_handler is not None and previous_stream is not None:
            stream_handler.stream = previous_stream
