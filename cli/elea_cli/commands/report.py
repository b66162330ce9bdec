"""`elea-import report resend IMPORT_ID`: sends an import's report e-mail again, with fresh links."""

from __future__ import annotations

import argparse
from typing import Any

from elea.mail.send_report import ReportMailOutcome, resend_import_report
from elea_cli.output import print_mails
from elea_cli.targets.arguments import add_target_arguments
from elea_cli.targets.operator_session import operator_session

EXIT_OK = 0
EXIT_FAILED = 1


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser("report", help="Rapports d'importation par courriel.")
    actions = parser.add_subparsers(dest="action", required=True)
    resend = actions.add_parser("resend", help="Renvoie le courriel de rapport d'une importation.")
    resend.add_argument("import_id", help="La référence de l'importation.")
    add_target_arguments(resend)
    resend.set_defaults(func=run_resend)


def run_resend(args: argparse.Namespace) -> int:
    with operator_session(args) as local:
        result = resend_import_report(args.import_id, local.report_mail())
    if result.outcome is ReportMailOutcome.SENT:
        print(f"Rapport de l'importation {result.import_id} renvoyé à {result.recipient}.")
    else:
        print(f"Le rapport n'a pas pu être envoyé ({result.reason}) ; il reste enregistré pour un nouvel essai.")
    print_mails(local.mails)
    return EXIT_OK if result.outcome is ReportMailOutcome.SENT else EXIT_FAILED
