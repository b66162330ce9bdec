"""The RosterMirror port in memory, as strongly consistent as the DynamoDB adapter, with a hook to play
another school's import at a chosen moment of a release."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from elea.ports.roster_mirror import MirroredRosters, SchoolRoster


class InMemoryRosterMirror:
    def __init__(self) -> None:
        self.schools: dict[str, SchoolRoster] = {}
        self.census_entries: dict[str, int] = {}
        self.census_trusted = False
        self.reads = 0
        # Called after each removal (uai, ids): another school acting while a release looks again.
        self.after_removal: Callable[[str, frozenset[int]], None] | None = None

    def read(self) -> MirroredRosters:
        self.reads += 1
        return MirroredRosters(
            schools=dict(self.schools), census=dict(self.census_entries) if self.census_trusted else None
        )

    def has_census(self) -> bool:
        return self.census_trusted

    def record_census(self, rosters: Mapping[str, int]) -> None:
        self.census_entries |= dict(rosters)
        self.census_trusted = True

    def record_school(self, uai: str, roster: SchoolRoster) -> None:
        self.schools[uai] = roster
        self.census_entries[uai] = roster.roster_id

    def add_members(self, uai: str, members: Iterable[int]) -> None:
        if uai in self.schools:
            school = self.schools[uai]
            self.schools[uai] = SchoolRoster(school.roster_id, school.members | frozenset(members))

    def remove_members(self, uai: str, members: Iterable[int]) -> None:
        ids = frozenset(members)
        if uai in self.schools:
            school = self.schools[uai]
            self.schools[uai] = SchoolRoster(school.roster_id, school.members - ids)
        if self.after_removal is not None:
            hook, self.after_removal = self.after_removal, None
            hook(uai, ids)

    def lose(self, uai: str | None = None) -> None:
        """A lost record (one school's), or the whole mirror lost."""
        if uai is None:
            self.schools.clear()
            self.census_entries.clear()
            self.census_trusted = False
        else:
            self.schools.pop(uai, None)
