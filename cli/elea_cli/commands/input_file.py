"""The file a user names on the command line: refused in French before anything reads it."""

from __future__ import annotations

import os
from pathlib import Path

from elea.errors import RosterRefused


def readable_file(path: Path, *, what: str = "fichier exporté") -> Path:
    if path.is_dir():
        raise RosterRefused(
            f"« {path} » est un dossier, pas un {what}.",
            code="not_a_file",
            file=str(path),
            hint="Indiquez le fichier lui-même (export.csv, ElevesSansAdresses.zip…), pas le dossier qui le contient.",
        )
    if not path.is_file():
        raise RosterRefused(
            f"Le fichier « {path} » est introuvable.",
            code="file_not_found",
            file=str(path),
            hint=f"Vérifiez le chemin du {what}.",
        )
    if not os.access(path, os.R_OK):
        raise RosterRefused(
            f"Le fichier « {path} » ne peut pas être lu (droits d'accès).",
            code="file_unreadable",
            file=str(path),
            hint="Copiez le fichier dans un dossier qui vous appartient, puis recommencez.",
        )
    return path
