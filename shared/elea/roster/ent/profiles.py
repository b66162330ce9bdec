"""The "Type" column: entcore writes the profile through i18n, so its value follows the browser.

French bundle: Élève, Enseignant, Parent, Personnel, Invité. entcore's English bundle says "Pupil"
for Student, "Relative", "Teacher", and keeps "Invité" and "Personnel" (no English key); themes may
override them, so the plain English words and the raw profile keys are accepted too.
"""

from __future__ import annotations

from elea.models.person import Profile
from elea.roster.ent.headers import normalise_label

_VALUES: dict[Profile, tuple[str, ...]] = {
    Profile.STUDENT: ("Élève", "Eleve", "Pupil", "Student", "Élèves", "Pupils", "Students"),
    Profile.TEACHER: ("Enseignant", "Teacher", "Enseignants", "Teachers"),
    Profile.PERSONNEL: ("Personnel", "Personnels", "Staff"),
    Profile.RELATIVE: ("Parent", "Relative", "Parents", "Relatives", "Responsable"),
    Profile.GUEST: ("Invité", "Guest", "Invités", "Guests"),
}

_BY_NORMALISED: dict[str, Profile] = {
    normalise_label(value): profile for profile, values in _VALUES.items() for value in values
}

# Exact spellings first: a dict hit per row, the normalisation only for odd spellings.
EXACT_PROFILES: dict[str, Profile] = {value: profile for profile, values in _VALUES.items() for value in values}


def profile_of(value: str) -> Profile | None:
    """The profile a Type cell names, whatever its case or accents; None when unknown."""
    return EXACT_PROFILES.get(value) or _BY_NORMALISED.get(normalise_label(value))
