"""The seam between the defused XML stream and the reader of one export format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from elea.models.roster import Roster

# An element's position in the document: the tags from the root down to it.
ElementPath = tuple[str, ...]


class ElementReader(Protocol):
    """Receives the elements of one export in document order, with their source line."""

    def start(self, path: ElementPath, attributes: Mapping[str, str], line: int) -> None: ...

    def end(self, path: ElementPath, text: str, line: int) -> None: ...

    def finish(self) -> Roster: ...
