"""What each school's latest import lists on one Moodle, kept beside it so a release need not read Moodle.

A school's roster cohort in Moodle (`elea-inscrits-{UAI}`) lists the accounts its latest import lists; an
account is suspended only when no school's roster lists it. Reading every other school's roster at each
release costs two web-service calls (search + members); this mirror answers the same question from one
strongly consistent read of the service's own store. Moodle stays the truth:
- each import records its school's roster as it reads it in Moodle (a hand change is taken in then);
- an account joining a school is added here BEFORE its roster pair is written in Moodle, and removed only
  AFTER it left that roster, so the mirror never lists less than Moodle while an import runs;
- the census names every school roster known to exist on the platform. It is made from one Moodle search
  when it is missing (first use, or lost), so a school whose record is lost is noticed (its roster is then
  read in Moodle) and a lost mirror is never taken for "nobody else lists it".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class SchoolRoster:
    """A school's roster on the platform: its Moodle cohort id and the Moodle ids of its members."""

    roster_id: int
    members: frozenset[int] = frozenset()


@dataclass(frozen=True)
class MirroredRosters:
    """One read of the mirror: the schools' rosters (by UAI), and the census of every roster known to exist
    on the platform (UAI → roster cohort id), None when there is none to trust (never made, or lost)."""

    schools: Mapping[str, SchoolRoster] = field(default_factory=dict)
    census: Mapping[str, int] | None = None


class RosterMirror(Protocol):
    def read(self) -> MirroredRosters:
        """Every school's roster and the census, strongly consistent."""
        ...

    def has_census(self) -> bool:
        """Whether a census made from Moodle is there to trust (strongly consistent), without reading the
        schools' rosters: each import's Classes step asks it."""
        ...

    def record_census(self, rosters: Mapping[str, int]) -> None:
        """The rosters one Moodle search found (UAI → roster cohort id): the census, trusted from now on."""
        ...

    def record_school(self, uai: str, roster: SchoolRoster) -> None:
        """The school's roster as its import read it in Moodle (replaces what was kept), and its census entry."""
        ...

    def add_members(self, uai: str, members: Iterable[int]) -> None:
        """Accounts joining the school's roster. Nothing when the school has no record (lost): it is read
        in Moodle until its next import records it again."""
        ...

    def remove_members(self, uai: str, members: Iterable[int]) -> None:
        """Accounts that left the school's roster in Moodle. Nothing when the school has no record."""
        ...
