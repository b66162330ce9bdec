"""`elea-import serve [--state-dir D] [--port P]`: the manager's web page on http://127.0.0.1:P/, over the
local stack of `run` and `approve`, until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from elea_cli.output import print_mails
from elea_cli.targets.arguments import add_state_dir
from elea_local.runner import LOCAL_SERVE_PORT
from elea_local.serve import LocalServer

LABELS = {"SUCCEEDED": "terminée", "FAILED": "en échec", "TIMED_OUT": "expirée", "ABORTED": "interrompue"}


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "serve",
        help="Sert localement la page web de l'établissement (connexion, dépôt du fichier, rapport).",
        description="Sert la page web sur 127.0.0.1, sur la même plateforme locale que run et approve.",
    )
    add_state_dir(parser)
    parser.add_argument(
        "--port", type=int, default=LOCAL_SERVE_PORT, help=f"Port local de la page (par défaut {LOCAL_SERVE_PORT})."
    )
    parser.set_defaults(func=serve)


def serve(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    # The local stack sends stdout to its log while it runs: this command writes to the terminal it had.
    terminal = sys.stdout
    try:
        server = LocalServer(args.state_dir, port=args.port)
    except OSError as error:
        print(f"Erreur : le port {args.port} n'est pas libre ({error.strerror}).", file=sys.stderr)
        print("Que faire : choisissez-en un autre avec --port.", file=sys.stderr)
        print("Code : port_unavailable", file=sys.stderr)
        return 1
    server.on_finished = lambda status: print(f"Importation {LABELS.get(status, status)}.", file=terminal, flush=True)
    waiting = stop or threading.Event()
    if stop is None and threading.current_thread() is threading.main_thread():
        # Ctrl-C (even where a shell started us with SIGINT ignored) and a service manager's TERM both
        # end the wait: the block below then stops the servers, waits for imports under way and saves.
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, lambda *_: waiting.set())
    try:
        with server.running():
            print(f"Page de l'établissement : {server.url}/connexion", file=terminal)
            print(f"Dossier d'état : {args.state_dir}", file=terminal)
            print("Ctrl-C pour arrêter (l'état local est enregistré).", file=terminal, flush=True)
            waiting.wait()
    except KeyboardInterrupt:
        pass
    print("Arrêt : plateforme locale enregistrée.", file=terminal)
    print_mails(server.result.mails)
    return 0
