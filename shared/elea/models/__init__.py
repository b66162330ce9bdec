"""Typed models shared by every step. One concept per file."""

from elea.models.issue import Issue, Severity
from elea.models.outcome import Outcome, PersonOutcome
from elea.models.person import Person, Profile
from elea.models.policy import ImportPolicy
from elea.models.roster import Roster, RosterFormat

__all__ = [
    "ImportPolicy",
    "Issue",
    "Outcome",
    "Person",
    "PersonOutcome",
    "Profile",
    "Roster",
    "RosterFormat",
    "Severity",
]
