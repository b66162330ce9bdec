"""`elea-import run FILE --uai UAI [--moodle URL] [--json] [--state-dir DIR]`: the whole import chain, locally.

The file goes into a local (moto) bucket under imports/{UAI}/ and the template's state machine runs
the real handlers: no Docker, no AWS account. The platform persists under --state-dir.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from elea.domain.uai_department import department_of_uai
from elea.models.import_record import ImportStatus
from elea_cli.commands.input_file import readable_file
from elea_cli.pipe_safe import PipeSafeOutput
from elea_cli.targets.arguments import add_state_dir

EXIT_COMPLETED = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "run",
        help="Importe un export dans la plateforme locale (classes, comptes, rapport).",
        description="Dépose le fichier pour l'établissement et déroule l'import complet en local.",
    )
    parser.add_argument(
        "file", type=Path, metavar="FICHIER", help="Le fichier exporté (export.csv, ElevesSansAdresses.zip…)"
    )
    parser.add_argument("--uai", required=True, help="Le code UAI (RNE) de l'établissement, ex. 0771234Y.")
    parser.add_argument("--json", action="store_true", help="Affiche le rapport en JSON.")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Aperçu : affiche ce que l'import ferait (cohortes, comptes créés, modifiés champ par champ, "
        "suspendus, protégés, ignorés, erreurs) sans rien modifier ; le fichier déposé est ensuite supprimé.",
    )
    parser.add_argument(
        "--basin",
        metavar="BASSIN",
        help="Le bassin de l'établissement, pour l'inscrire s'il ne l'est pas encore (son département vient "
        "du code UAI). Sans ce choix, un établissement non inscrit est refusé.",
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NOM=VALEUR",
        type=_parameter,
        help="Un paramètre du template pour cet import, comme `sam deploy --parameter-overrides` "
        "(ex. ImportedProfiles=student,teacher,personnel,relative ou SiecleInitialPasswords=regenerate).",
    )
    add_moodle_argument(parser)
    add_state_dir(parser)
    parser.set_defaults(func=run)


def add_moodle_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--moodle",
        metavar="URL",
        help="Écrit dans ce Moodle (PlatformTarget=moodle) au lieu de la plateforme locale embarquée ; le jeton "
        "vient de ELEA_MOODLE_TOKEN ou du fichier ELEA_MOODLE_TOKEN_FILE, jamais de la ligne de commande.",
    )


def _print_plan(result: Any, args: argparse.Namespace, out: TextIO) -> int:
    from elea_cli.plan_report import render_plan_json, render_plan_text

    plan = result.plan
    if args.json:
        print(json.dumps(render_plan_json(plan), ensure_ascii=False, indent=2), file=out)
    else:
        print(render_plan_text(plan), file=out)
        print("", file=out)
        print("Le fichier déposé a été supprimé. Pour appliquer ce plan : la même commande sans --dry-run.", file=out)
    return EXIT_COMPLETED


def _parameter(text: str) -> tuple[str, str]:
    name, separator, value = text.partition("=")
    if not separator or not name.strip():
        raise argparse.ArgumentTypeError(f"« {text} » : attendu NOM=VALEUR, par exemple HoldMinAccounts=50")
    return name.strip(), value.strip()


def run(args: argparse.Namespace) -> int:
    # Imported here: moto and the template are only needed by the commands that run the chain.
    from elea_cli.french_report import ProgressPrinter, render_json, render_text
    from elea_local.runner import LocalChain

    path: Path = args.file
    readable_file(path)
    # Written through a pipe-safe wrapper: a closed pipe neither stops the import nor hides its exit code.
    out: TextIO = PipeSafeOutput(sys.stdout)  # type: ignore[assignment]
    progress = None if args.json else ProgressPrinter(out)
    if progress is not None:
        target = "" if args.moodle is None else f", vers la plateforme Éléa {args.moodle}"
        print(f"Import de {path.name} pour l'établissement {args.uai.strip().upper()}{target}", file=out, flush=True)
    chain = LocalChain(args.state_dir, parameter_overrides=dict(args.param), progress=progress, moodle_url=args.moodle)
    uai = args.uai.strip().upper()
    result = chain.run_file(path, uai, basin=args.basin, dry_run=args.dry_run)
    if result.registered_establishment:
        # On stderr with --json, so the JSON on stdout stays parseable.
        print(
            f"Attention : l'établissement {uai} n'était pas inscrit ; il vient de l'être dans le bassin "
            f"{args.basin}, sous un nom provisoire, et son courriel d'activation est parti. Pour le vrai nom : "
            f"elea-import establishment add {uai} --dept {department_of_uai(uai)} --basin {args.basin} --name « … » "
            f"--state-dir {args.state_dir}.",
            file=sys.stderr if args.json else out,
        )
    if result.plan is not None:
        return _print_plan(result, args, out)
    if args.json:
        print(json.dumps(render_json(result), ensure_ascii=False, indent=2), file=out)
    else:
        print(render_text(result, state_dir=args.state_dir), file=out)
        if result.mails:
            print("Courriels envoyés (fichiers .eml, à ouvrir avec votre messagerie) :", file=out)
            for mail in result.mails:
                print(f"  {mail}", file=out)
    if result.status is ImportStatus.COMPLETED:
        return EXIT_COMPLETED
    return EXIT_REFUSED if result.status is ImportStatus.REFUSED else EXIT_FAILED
