"""A file dropped for one school touches that school only, or nothing: fail closed.

Run by the Parse step (and `parse --uai`), which knows the school the file was dropped for, before
anything is written:
- SIECLE / STS-web: the one UAI the file declares (every UAJ, see roster/siecle/file_uai.py) must be
  this school's, else `uai_mismatch`. A SIECLE roster without a UAI is refused (`uai_missing_in_file`).
- ENT, when any "Établissements" cell names a valid UAI: the people naming this school are counted
  against those naming only other schools plus those whose structures are named without a UAI (in an
  ENT that writes UAIs, an unidentified structure is no evidence for this school). When the latter
  are at least as many, the file is another school's: `uai_mismatch`, nothing written. Otherwise a
  person naming only other schools is a row error (never an account here), a person naming this
  school and another is this school's shared member, and a person naming no UAI stays.
- ENT naming no UAI at all: left to the school-name warning (roster/school_name.py).
"""

from __future__ import annotations

from collections import Counter

from elea.domain.uai import validate_uai
from elea.errors import RosterRefused, UaiMismatch
from elea.models.issue import Issue, Severity
from elea.models.roster import Roster, RosterFormat

OTHER_SCHOOL_ROW = "other_school_row"
_HINT = (
    "Déposez l'export de votre propre établissement, ou déposez ce fichier dans le dossier de "
    "l'établissement qu'il concerne."
)
_NAMED_AT_MOST = 3


def ensure_roster_matches_uai(roster: Roster, expected_uai: str, source_name: str) -> Roster:
    """The roster restricted to `expected_uai`'s people, or UaiMismatch / RosterRefused.

    `expected_uai` is validated too (InvalidUai): it comes from the S3 key, outside the file.
    """
    expected = validate_uai(expected_uai)
    if roster.format is RosterFormat.ENT_CSV:
        return _ent_rows_of(roster, expected, source_name)
    if roster.uai is None:
        raise RosterRefused(
            f"Le fichier « {source_name} » ne déclare aucun établissement : rien n'a été importé.",
            code="uai_missing_in_file",
            file=source_name,
            hint="Exportez le fichier à nouveau depuis SIECLE ou STS-web, sans le modifier.",
        )
    declared = roster.uai.strip().upper()
    if declared != expected:
        # UAIs are public school codes, not personal data: naming both helps the manager.
        raise UaiMismatch(
            f"Le fichier « {source_name} » appartient à un autre établissement (UAI {declared}) "
            f"que celui pour lequel il a été déposé (UAI {expected}) : rien n'a été importé.",
            code="uai_mismatch",
            hint=_HINT,
        )
    return roster


def _ent_rows_of(roster: Roster, expected: str, source_name: str) -> Roster:
    if not roster.school_uais:
        return roster
    foreign = {person_id: uais for person_id, uais in roster.school_uais.items() if expected not in uais}
    ours = len(roster.school_uais) - len(foreign)
    unidentified = roster.people_without_school_uai
    if len(foreign) + unidentified >= ours:
        others = Counter(uai for uais in foreign.values() for uai in uais)
        named = ", ".join(uai for uai, _ in others.most_common(_NAMED_AT_MOST))
        whose = f"à un autre établissement (UAI {named})" if named else "à un autre établissement"
        without = f" ; d'un établissement sans code UAI : {unidentified}" if unidentified else ""
        raise UaiMismatch(
            f"Le fichier « {source_name} » appartient {whose} que celui pour lequel il a été déposé "
            f"(UAI {expected}) : rien n'a été importé. Personnes de l'établissement {expected} : {ours} ; "
            f"d'un autre établissement seulement : {len(foreign)}{without}.",
            code="uai_mismatch",
            hint=_HINT,
        )
    if not foreign:
        return roster
    kept = [person for person in roster.people if person.id not in foreign]
    refused = [
        Issue(
            line=person.line,
            severity=Severity.ERROR,
            code=OTHER_SCHOOL_ROW,
            message=(
                f"Cette personne n'est rattachée qu'à un autre établissement (UAI {', '.join(foreign[person.id])}) "
                f"d'après la colonne « Établissements » : aucun compte n'est créé ni modifié pour elle dans "
                f"l'établissement {expected}."
            ),
            # Counted as present: a row of the file never gets this school's account suspended.
            person_id=person.id,
        )
        for person in roster.people
        if person.id in foreign
    ]
    used = {name for person in kept for name in person.classes}
    issues = sorted([*roster.issues, *refused], key=lambda issue: (issue.line is not None, issue.line or 0))
    return roster.model_copy(
        update={
            "people": kept,
            "classes": [name for name in roster.classes if name in used],
            "issues": issues,
            "school_uais": {key: value for key, value in roster.school_uais.items() if key not in foreign},
        }
    )
