"""The profiles in French, singular and plural, as the report, the sanity checks and the CLI name them."""

from __future__ import annotations

from elea.models.person import Profile

# In the order a school head reads them.
PROFILE_NAMES: dict[Profile, tuple[str, str]] = {
    Profile.STUDENT: ("élève", "élèves"),
    Profile.TEACHER: ("enseignant", "enseignants"),
    Profile.PERSONNEL: ("personnel", "personnels"),
    Profile.RELATIVE: ("parent", "parents"),
    Profile.GUEST: ("invité", "invités"),
}
