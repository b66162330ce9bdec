"""The school's UAI, when the export's structure names carry one.

The ENT export names structures ("Établissements"), it has no UAI column. Some ENTs put the UAI
in the structure's name ("LYCEE JEAN MOULIN (0771234Y)"). It is used only when exactly one valid
UAI appears across the whole file: a teacher shared with a second school, or a file with no UAI,
leaves it unknown rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from elea.domain.uai import is_valid_uai

_UAI_SHAPED = re.compile(r"(?<![0-9A-Za-z])([0-9]{7}[A-Za-z])(?![0-9A-Za-z])")


def uai_from_structure_names(cells: Iterable[str]) -> str | None:
    found = {candidate.upper() for cell in cells for candidate in _UAI_SHAPED.findall(cell) if is_valid_uai(candidate)}
    return found.pop() if len(found) == 1 else None
