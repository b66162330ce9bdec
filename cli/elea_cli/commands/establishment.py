"""`elea-import establishment add|load|resend`: the registry of establishments (local on moto, or --deployed)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from elea.establishments.bulk_load import load_establishments
from elea.establishments.establishment import new_establishment
from elea.establishments.register import RegistrationOutcome, register_establishment
from elea.establishments.resend import resend_activation
from elea.mail.rendering import french_date
from elea.models.issue import Severity
from elea_cli.commands.input_file import readable_file
from elea_cli.output import print_mails
from elea_cli.targets.arguments import add_target_arguments
from elea_cli.targets.operator_session import operator_session

EXIT_OK = 0
EXIT_REFUSED = 2

_OUTCOME_WORDS = {
    RegistrationOutcome.CREATED: "inscrit",
    RegistrationOutcome.UPDATED: "mis à jour",
    RegistrationOutcome.UNCHANGED: "déjà inscrit, inchangé",
}


def _activate_hint(args: argparse.Namespace) -> str:
    if args.deployed:
        return "Le lien d'activation est dans le courriel envoyé à la boîte fonctionnelle de l'établissement."
    return (
        "Le lien d'activation est dans le courriel (…#token=JETON). Localement : "
        f"elea-import activate JETON --password NOUVEAU_MOT_DE_PASSE --state-dir {args.state_dir}"
    )


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "establishment", help="Inscrit les établissements et envoie le courriel d'activation."
    )
    actions = parser.add_subparsers(dest="action", required=True)

    add = actions.add_parser("add", help="Inscrit un établissement (sans effet s'il l'est déjà à l'identique).")
    add.add_argument("uai", help="Code UAI (RNE) de l'établissement, par exemple 0771234Y.")
    add.add_argument("--dept", required=True, help="Numéro du département (XX), par exemple 77.")
    add.add_argument("--basin", required=True, help="Numéro du bassin (Y), par exemple 3.")
    add.add_argument("--name", required=True, help="Nom de l'établissement.")
    add.add_argument(
        "--dry-run-default",
        action="store_true",
        help="Aperçu par défaut : chaque dépôt sur la page web est d'abord présenté, puis importé sur « Lancer "
        "l'importation » (sinon, import automatique, comme la procédure).",
    )
    add_target_arguments(add)
    add.set_defaults(func=run_add)

    load = actions.add_parser("load", help="Inscrit les établissements d'un fichier CSV (uai;nom;departement;bassin).")
    load.add_argument("file", type=Path, help="Le fichier CSV des établissements.")
    add_target_arguments(load)
    load.set_defaults(func=run_load)

    resend = actions.add_parser("resend", help="Envoie un nouveau lien d'activation ; l'ancien ne fonctionne plus.")
    resend.add_argument("uai", help="Code UAI de l'établissement.")
    add_target_arguments(resend)
    resend.set_defaults(func=run_resend)


def run_add(args: argparse.Namespace) -> int:
    establishment = new_establishment(uai=args.uai, name=args.name, department=args.dept, basin=args.basin)
    establishment = establishment.model_copy(update={"dry_run_default": args.dry_run_default})
    with operator_session(args) as local:
        result = register_establishment(establishment, local.registry())
    changed = f" ({', '.join(result.changed_fields)})" if result.changed_fields else ""
    print(f"Établissement {result.uai} {_OUTCOME_WORDS[result.outcome]}{changed}.")
    print(f"Plateforme : {result.platform_url}")
    if result.activation_sent:
        print(f"Courriel d'activation envoyé à {result.mailbox}.")
        print(_activate_hint(args))
    print_mails(local.mails)
    return EXIT_OK


def run_load(args: argparse.Namespace) -> int:
    data = readable_file(args.file, what="fichier des établissements").read_bytes()
    with operator_session(args) as local:
        result = load_establishments(data, file_name=args.file.name, services=local.registry())
    counts = result.outcomes
    print(
        f"{counts[RegistrationOutcome.CREATED]} établissement(s) inscrit(s), "
        f"{counts[RegistrationOutcome.UPDATED]} mis à jour, {counts[RegistrationOutcome.UNCHANGED]} inchangé(s) ; "
        f"{result.activations_sent} courriel(s) d'activation envoyé(s)."
    )
    for issue in result.issues:
        label = "Erreur" if issue.severity is Severity.ERROR else "Avertissement"
        print(f"{label} ligne {issue.line} : {issue.message} ({issue.code})")
    print_mails(local.mails)
    return EXIT_OK


def run_resend(args: argparse.Namespace) -> int:
    with operator_session(args) as local:
        issued = resend_activation(args.uai, local.registry())
    print(f"Nouveau lien d'activation envoyé pour {issued.uai}, valable jusqu'au {french_date(issued.expires_at)}.")
    print("L'ancien lien et l'ancien mot de passe ne fonctionnent plus.")
    print(_activate_hint(args))
    print_mails(local.mails)
    return EXIT_OK
