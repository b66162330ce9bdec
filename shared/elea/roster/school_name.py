"""Does an ENT export that names no UAI at least carry the registered school's name?

Most ENT exports name the structure only ("CITE SCOLAIRE JEAN MOULIN"). The registry writes it its
own way ("Collège Jean Moulin"), so names are compared by their significant words (accents, case,
punctuation and the words every school name shares set aside): they "clearly differ" when no
structure named by at least a tenth of the people shares one of them with the registry's name.
A name is never proof either way, so the outcome is a warning (and held suspensions, see
logic/sanity_checks.py), never a refusal.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping

from elea.models.issue import Issue, Severity
from elea.roster.ent.rows import split_multi_value

SCHOOL_NOT_NAMED = "school_not_named"
SCHOOL_NAME_MISMATCH = "school_name_mismatch"

_GENERIC_WORDS = (
    "college clg lycee lyc lgt lpo lp lt lg cite scolaire ecole elementaire maternelle primaire groupe scolaire "
    "erea ems segpa ulis etablissement public prive general technologique professionnel polyvalent regional "
    "international enseignement annexe site de du des la le les l d et en a au aux sur sous saint st ste "
    "sainte"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())
# A structure named by at least one person in ten counts as the file's school.
_SHARE = 10
_WORD = re.compile(r"[a-z0-9]+")
_UAI_WORD = re.compile(r"^[0-9]{7}[a-z]$")


def significant_words(name: str) -> frozenset[str]:
    """ "Collège Jean-Moulin (0771234Y)" → {"jean", "moulin"}."""
    folded = "".join(char for char in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(char))
    return frozenset(
        word for word in _WORD.findall(folded) if word not in _GENERIC and not _UAI_WORD.match(word) and len(word) > 1
    )


def structures_by_people(structure_names: Mapping[str, int]) -> list[tuple[str, int]]:
    """Structures with how many people name them, most named first ("LYCEE A, COLLEGE B" counts for both)."""
    tally: Counter[str] = Counter()
    for cell, people in structure_names.items():
        for name in split_multi_value(cell):
            tally[name] += people
    return tally.most_common()


def main_structure(structure_names: Mapping[str, int]) -> str | None:
    """The structure named by the most people."""
    ranked = structures_by_people(structure_names)
    return ranked[0][0] if ranked else None


def school_name_warning(
    structure_names: Mapping[str, int], registered_name: str | None, uai: str, source_name: str
) -> Issue | None:
    """A file-level warning when the export names no school, or clearly another name; else None."""
    ranked = structures_by_people(structure_names)
    if not ranked:
        return Issue(
            line=None,
            severity=Severity.WARNING,
            code=SCHOOL_NOT_NAMED,
            message=(
                f"Le fichier « {source_name} » n'indique aucun établissement (colonne « Établissements » "
                f"absente ou vide) : rien ne permet de vérifier qu'il s'agit bien de l'export de l'établissement "
                f"{uai}. Les comptes ont été importés, mais aucun compte n'a été suspendu."
            ),
        )
    registered = significant_words(registered_name or "")
    # A placeholder name ("Établissement 0771234Y") says nothing to compare with.
    if not registered:
        return None
    # A cité scolaire names its collège and its lycée: any structure a real share of people name may match.
    named = sum(people for _, people in ranked)
    if any(significant_words(name) & registered for name, people in ranked if people * _SHARE >= named):
        return None
    main = ranked[0][0]
    return Issue(
        line=None,
        severity=Severity.WARNING,
        code=SCHOOL_NAME_MISMATCH,
        message=(
            f"Le fichier « {source_name} » est l'export de « {main} », alors que l'établissement {uai} est "
            f"inscrit sous le nom « {registered_name} » : vérifiez qu'il s'agit bien de votre établissement. "
            "Les comptes ont été importés, mais aucun compte n'a été suspendu."
        ),
    )
