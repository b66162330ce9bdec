"""Reading ENT and SIECLE exports into one typed Roster."""

from elea.roster.reader import DEFAULT_MAX_BYTES, read_roster

__all__ = ["DEFAULT_MAX_BYTES", "read_roster"]
