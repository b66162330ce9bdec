"""Class names that differ only by case, accents or full-width forms are one class, so one cohort.

« 6A » and « 6a » (or « ６A ») in one file would otherwise become two cohorts that look alike on the
platform. The first spelling in code-point order is kept (« 6A » before « 6a »), every person of the
others is moved to it, and a warning names the spellings merged (class names are not personal data).
"""

from __future__ import annotations

from collections.abc import Iterable

from elea.domain.identity import identity_key
from elea.models.issue import Issue, Severity
from elea.models.person import Person

LOOKALIKE_CLASSES = "lookalike_classes"


def merge_lookalike_classes(
    people: list[Person], class_names: Iterable[str]
) -> tuple[list[Person], list[str], list[Issue]]:
    """(people with merged classes, the distinct classes, one warning per merged group)."""
    groups: dict[str, list[str]] = {}
    for name in class_names:
        groups.setdefault(identity_key(name), []).append(name)
    renamed: dict[str, str] = {}
    issues: list[Issue] = []
    for spellings in groups.values():
        if len(spellings) < 2:
            continue
        kept, *others = sorted(spellings)
        renamed.update((other, kept) for other in others)
        issues.append(
            Issue(
                line=None,
                severity=Severity.WARNING,
                code=LOOKALIKE_CLASSES,
                message=(
                    f"Les classes {', '.join(f'« {name} »' for name in others)} et « {kept} » ne diffèrent que par "
                    f"les majuscules, les accents ou la largeur des caractères : elles forment une seule classe, "
                    f"« {kept} ». Harmonisez leur nom dans l'ENT ou SIECLE."
                ),
            )
        )
    classes = [min(spellings) for spellings in groups.values()]
    if not renamed:
        return people, classes, []
    return [_renamed(person, renamed) for person in people], classes, issues


def _renamed(person: Person, renamed: dict[str, str]) -> Person:
    if not any(name in renamed for name in person.classes):
        return person
    classes = tuple(dict.fromkeys(renamed.get(name, name) for name in person.classes))
    return person.model_copy(update={"classes": classes})
