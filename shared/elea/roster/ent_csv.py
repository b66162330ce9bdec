"""ENT "Export classique" CSV reader (owned by the ENT CSV work)."""

from __future__ import annotations

from typing import BinaryIO

from elea.models.roster import Roster


def read_ent_csv(stream: BinaryIO, source_name: str) -> Roster:
    raise NotImplementedError
