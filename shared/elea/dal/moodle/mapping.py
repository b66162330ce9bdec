"""How an Éléa account is written in Moodle (docs/architecture.md, "Moodle mapping").

- username: the ENT login lowercased (SIECLE/STS people: their generated username); idnumber: the
  person's Id as the report shows it; firstname/lastname as read.
- auth: ENT people get `ent_auth` (platform parameter MoodleEntAuth, `cas` by default), no password;
  SIECLE/STS people `manual`, their initial password and Moodle's forced change at first login.
- email: the export's when valid and not already used, else `{username}@{uai}.invalid` (RFC 2606: never
  delivered), so a shared or duplicate e-mail never makes a call fail.
- profile: in `institution`, a standard field every Moodle has (no custom profile field for the admin to
  create), returned by core_user_get_users_by_field, shown in the profile and filterable in the bulk user
  actions, so it survives a round trip and a manager can select, say, every teacher. Not `department`:
  the académie's Moodle rewrites department (and phone1) right after creating a user, so a profile kept
  there would need a second write of every account created.
- country: `FR` at creation (Moodle keeps the country given, else the site's default, often none); set
  once, never compared nor updated after, so a change made by hand in Moodle is kept.
- cohorts: `{UAI}${class}`, named by the class, in the system context (`cohort_category_id` None) so a
  course of any category can enrol them; a category id puts them in that category instead.
- the school's roster: a cohort `{roster_prefix}{UAI}` whose members are the accounts the school's latest
  import lists. It is how the import reads a school at once (its members, then those users by id) and how
  two schools share one account: each adds or removes only its own pair.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from elea.models.person import Profile

# What institution holds for each profile: French, as the ENT export shows it (read back case-insensitively).
PROFILE_LABELS: dict[Profile, str] = {
    Profile.STUDENT: "Élève",
    Profile.TEACHER: "Enseignant",
    Profile.PERSONNEL: "Personnel",
    Profile.RELATIVE: "Parent",
    Profile.GUEST: "Invité",
}
_PROFILES_BY_LABEL = {label.casefold(): profile for profile, label in PROFILE_LABELS.items()}
# Good enough to keep obviously broken addresses out of Moodle (which checks them too), not a full RFC 5322.
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
# Moodle's PARAM_USERNAME (extendedusernamechars off, its default): one other character fails a whole call,
# lookups included.
MOODLE_USERNAME = re.compile(r"^[-.@_a-z0-9]+$")
PLACEHOLDER_DOMAIN_SUFFIX = ".invalid"
MANUAL_AUTH = "manual"


class MoodleMapping(BaseModel):
    model_config = ConfigDict(frozen=True)

    ent_auth: str = Field(default="cas", min_length=1)  # MoodleEntAuth
    # {username} and {uai} are replaced; the domain must end in .invalid so nothing is ever delivered.
    email_placeholder_pattern: str = "{username}@{uai}.invalid"
    cohort_category_id: int | None = None  # None: system context
    roster_prefix: str = "elea-inscrits-"
    # ISO 3166 code given at creation only (every account is an académie's: France).
    country: str = Field(default="FR", pattern=r"^[A-Z]{2}$")

    def model_post_init(self, _context: object) -> None:
        if not self.email_placeholder_pattern.lower().endswith(PLACEHOLDER_DOMAIN_SUFFIX):
            raise ValueError("the e-mail placeholder pattern must end with .invalid (RFC 2606)")

    def roster_idnumber(self, uai: str) -> str:
        return f"{self.roster_prefix}{uai}"

    def roster_name(self, uai: str) -> str:
        return f"{uai} : comptes importés"

    def placeholder_email(self, username: str, uai: str) -> str:
        return self.email_placeholder_pattern.format(username=username.lower(), uai=uai.lower())

    @staticmethod
    def is_deliverable(email: str | None) -> bool:
        return bool(email) and _EMAIL.match(email or "") is not None and not _is_placeholder(email or "")

    @staticmethod
    def institution_of(profile: Profile | None) -> str:
        return "" if profile is None else PROFILE_LABELS[profile]

    @staticmethod
    def profile_of(institution: str) -> Profile | None:
        return _PROFILES_BY_LABEL.get(institution.strip().casefold())

    @staticmethod
    def email_of(email: str) -> str | None:
        """The account's e-mail as the domain sees it: a placeholder is no e-mail."""
        return None if not email or _is_placeholder(email) else email


def _is_placeholder(email: str) -> bool:
    return email.lower().endswith(PLACEHOLDER_DOMAIN_SUFFIX)
