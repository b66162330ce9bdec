"""Detects the format from the content (never the file name) and hands over to the right reader."""

from __future__ import annotations

from pathlib import Path

from elea.errors import RosterRefused
from elea.models.roster import Roster
from elea.roster import guard
from elea.roster.ent_csv import read_ent_csv
from elea.roster.issue_log import DEFAULT_MAX_ROW_ERRORS
from elea.roster.xml_exports import read_xml_export

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"


def read_roster(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_errors: int = DEFAULT_MAX_ROW_ERRORS) -> Roster:
    """Reads one export. Raises elea.errors.RosterRefused when the whole file is refused.

    Past `max_errors` row errors the file is refused (too_many_errors): what a bad file costs is bounded.
    """
    source_name = path.name
    try:
        guard.check_size(path.stat().st_size, max_bytes, source_name)
        with path.open("rb") as stream:
            head = stream.read(64)
            stream.seek(0)
            guard.refuse_spreadsheet(head, source_name)
            if head.startswith(_ZIP_MAGIC):
                data = guard.read_single_xml_from_zip(stream, source_name)
                return read_xml_export(data, source_name, max_errors=max_errors)
            if guard.looks_like_xml(head):
                return read_xml_export(stream.read(), source_name, max_errors=max_errors)
            return read_ent_csv(stream, source_name, max_errors=max_errors)
    except OSError as error:  # missing, a folder, no read permission, a failing disk: never a traceback
        raise RosterRefused(
            f"Le fichier « {source_name} » ne peut pas être lu"
            + (" : c'est un dossier." if path.is_dir() else " (introuvable, droits d'accès ou disque illisible)."),
            code="file_unreadable",
            file=source_name,
            hint="Vérifiez le chemin du fichier exporté et que vous avez le droit de le lire.",
        ) from error
