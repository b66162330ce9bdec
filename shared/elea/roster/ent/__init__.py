"""Pieces of the ENT "Export classique" reader: encoding, header, line splitting, profiles, assembly."""
