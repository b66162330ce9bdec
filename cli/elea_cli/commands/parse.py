"""`elea-import parse FILE [--json] [--max-mb N]`: reads an export and shows what it holds."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from elea.domain.profile_names import PROFILE_NAMES
from elea.domain.uai import validate_uai
from elea.models.issue import Issue, Severity
from elea.models.person import Profile
from elea.models.roster import Roster, RosterFormat
from elea.roster.reader import DEFAULT_MAX_BYTES, read_roster
from elea.roster.school_name import school_name_warning
from elea.roster.uai_check import ensure_roster_matches_uai
from elea_cli.commands.input_file import readable_file

FIRST_ISSUES_SHOWN = 10
_MEGABYTE = 1024 * 1024

_FORMAT_NAMES = {
    RosterFormat.ENT_CSV: "export ENT « Export classique »",
    RosterFormat.SIECLE_ELEVES: "SIECLE « Élèves sans adresses »",
    RosterFormat.STS_EMP: "STS-web (emplois du temps)",
}


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "parse", help="Lit un export ENT ou SIECLE et affiche son contenu."
    )
    parser.add_argument("file", type=Path, help="Le fichier exporté (export.csv, ElevesSansAdresses.xml/zip…)")
    parser.add_argument("--json", action="store_true", help="Affiche le résultat en JSON.")
    parser.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / _MEGABYTE,
        help="Taille maximale acceptée, en Mo (20 par défaut).",
    )
    parser.add_argument(
        "--uai",
        help="Vérifie aussi que le fichier appartient à cet établissement (code UAI), comme le fait l'import : "
        "le fichier d'un autre établissement est refusé, les lignes d'un autre établissement sont signalées.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path: Path = args.file
    readable_file(path)
    roster = read_roster(path, max_bytes=int(args.max_mb * _MEGABYTE))
    if args.uai is not None:
        roster = _of_school(roster, args.uai, path.name)
    text = json.dumps(roster.model_dump(mode="json"), ensure_ascii=False) if args.json else summary(roster, path.name)
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # The reader stopped early (`| head`): not a problem of the file, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _of_school(roster: Roster, uai: str, source_name: str) -> Roster:
    """The Parse step's school check (elea.roster.uai_check); the registered name is not known here."""
    roster = ensure_roster_matches_uai(roster, uai, source_name)
    if roster.format is RosterFormat.ENT_CSV and not roster.school_uais:
        warning = school_name_warning(roster.structure_names, None, validate_uai(uai), source_name)
        if warning is not None:
            roster = roster.model_copy(update={"issues": [warning, *roster.issues]})
    return roster


def summary(roster: Roster, source_name: str) -> str:
    """A short French account of the file: people by profile and by class, then the first issues."""
    by_profile = Counter(person.profile for person in roster.people)
    lines = [
        f"Fichier « {source_name} » : {_FORMAT_NAMES[roster.format]}, encodage {roster.encoding}.",
        f"UAI : {roster.uai}." if roster.uai else "UAI : non indiqué dans le fichier.",
        f"{_count(len(roster.people), 'personne lue', 'personnes lues')} :",
    ]
    lines += [f"  {_count(by_profile[profile], *names)}" for profile, names in PROFILE_NAMES.items()]
    lines.append(f"{_count(len(roster.classes), 'classe', 'classes')} :")
    lines += [f"  {line}" for line in _class_lines(roster)]
    lines += _issue_lines(roster.issues)
    return "\n".join(lines)


def _class_lines(roster: Roster) -> list[str]:
    students: Counter[str] = Counter()
    teachers: Counter[str] = Counter()
    for person in roster.people:
        if person.profile is Profile.STUDENT:
            students.update(person.classes)
        elif person.profile is Profile.TEACHER:
            teachers.update(person.classes)
    return [
        f"{name} : {_count(students[name], 'élève', 'élèves')}, {_count(teachers[name], 'enseignant', 'enseignants')}"
        for name in roster.classes
    ]


def _issue_lines(issues: list[Issue]) -> list[str]:
    if not issues:
        return ["Aucun problème relevé."]
    errors = sum(1 for issue in issues if issue.severity is Severity.ERROR)
    warnings = len(issues) - errors
    head = (
        f"{_count(len(issues), 'problème relevé', 'problèmes relevés')} "
        f"({_count(errors, 'erreur', 'erreurs')}, {_count(warnings, 'avertissement', 'avertissements')})"
    )
    if len(issues) > FIRST_ISSUES_SHOWN:
        head += f", les {FIRST_ISSUES_SHOWN} premiers"
    return [f"{head} :"] + [f"  {_issue_line(issue)}" for issue in issues[:FIRST_ISSUES_SHOWN]]


def _issue_line(issue: Issue) -> str:
    where = f"ligne {issue.line}" if issue.line is not None else "fichier"
    kind = " (avertissement)" if issue.severity is Severity.WARNING else ""
    return f"{where}{kind} : {issue.message}"


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number in (0, 1) else plural}"
