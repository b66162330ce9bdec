"""Which schools each person of an ENT export names, from the "Établissements" column.

The ENT export has no UAI column: it names structures. Some ENTs put the UAI in the structure's
name ("LYCEE JEAN MOULIN (0771234Y)"), others only the name ("CITE SCOLAIRE JEAN MOULIN"). Every
valid UAI of every cell is kept, per person (a person linked to two structures comes on two rows,
or on one row naming both): the Parse step, which knows the school the file was dropped for, decides
from them (elea.roster.uai_check). Nothing is bounded here in a way that could skip a person:
only the cache of cells and the tally of names (used for a warning, never to let a file through) are.
"""

from __future__ import annotations

import re
from collections import Counter

from elea.domain.uai import is_valid_uai

# Not after a digit, not before a letter or digit: "(0771234Y)", "0771234Y - LYCEE", "RNE0771234Y".
_UAI_SHAPED = re.compile(r"(?<![0-9])([0-9]{7}[A-Za-z])(?![0-9A-Za-z])")
# Enough for any real school; beyond it cells are still read, just not remembered.
_CELLS_CACHED = 4096
_NAMES_COUNTED = 1024


def uais_in_cell(cell: str) -> tuple[str, ...]:
    """The valid UAIs a structures cell names, upper case, in order, each once."""
    found: list[str] = []
    for candidate in _UAI_SHAPED.findall(cell):
        uai = candidate.upper()
        if uai not in found and is_valid_uai(uai):
            found.append(uai)
    return tuple(found)


class StructureSchools:
    """Collected while the rows are read: per person the UAIs they name, and the structure cells'
    frequency (people per cell) for the school-name check."""

    __slots__ = ("_cells", "by_person", "names", "without_uai")

    def __init__(self) -> None:
        self._cells: dict[str, tuple[str, ...]] = {}
        # Only people whose cells name at least one valid UAI.
        self.by_person: dict[str, tuple[str, ...]] = {}
        # People with a structure named without any valid UAI (they may still name one on another row).
        self.without_uai: set[str] = set()
        # Non-empty cell → people whose first row carries it. Bounded: past the bound, cells are not
        # counted (the name check then looks at the first ones), never is a person skipped.
        self.names: dict[str, int] = {}

    def uais(self, cell: str) -> tuple[str, ...]:
        known = self._cells.get(cell)
        if known is None:
            known = uais_in_cell(cell) if cell else ()
            if len(self._cells) < _CELLS_CACHED:
                self._cells[cell] = known
        return known

    def note_again(self, person_id: str, cell: str) -> None:
        """Another row of a person already read (one row per structure): their UAIs add up.
        (A person's first row is noted inline by rows.py, on the hot path.)"""
        uais = self.uais(cell)
        if not uais:
            if cell.strip():
                self.without_uai.add(person_id)
            return
        known = self.by_person.get(person_id)
        if known is None:
            self.by_person[person_id] = uais
        elif not set(uais) <= set(known):
            self.by_person[person_id] = known + tuple(uai for uai in uais if uai not in known)

    def count_name(self, cell: str, people: int) -> None:
        """`people` more new people whose first row carries this non-empty cell (rows.py adds up a run of
        rows naming one cell, then calls this once). A cell not counted yet is counted while there is room."""
        count = self.names.get(cell)
        if count is not None:
            self.names[cell] = count + people
        elif len(self.names) < _NAMES_COUNTED:
            self.names[cell] = people

    def people_without_uai(self) -> int:
        """People whose structures are named, but never with a valid UAI."""
        # Counted through the intersection, which walks the smaller side, not a copy of without_uai
        # (every person of a file naming no UAI).
        return len(self.without_uai) - len(self.by_person.keys() & self.without_uai)

    def most_named_uai(self) -> str | None:
        """The UAI the most people name (None when none, or on a tie): what `parse` shows."""
        tally = Counter(uai for uais in self.by_person.values() for uai in uais)
        ranked = tally.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None
        return ranked[0][0]
