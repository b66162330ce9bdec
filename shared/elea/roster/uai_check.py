"""A file dropped for one school must never touch another school's accounts."""

from __future__ import annotations

from elea.domain.uai import validate_uai
from elea.errors import UaiMismatch
from elea.models.roster import Roster


def ensure_roster_matches_uai(roster: Roster, expected_uai: str, source_name: str) -> None:
    """Raises UaiMismatch when the file declares a UAI other than the school it was dropped for.

    A roster without a UAI (the ENT CSV carries none) passes: only a declared one can be compared.
    `expected_uai` is validated too (InvalidUai): it comes from the S3 key, outside the file.
    """
    expected = validate_uai(expected_uai)
    if roster.uai is None:
        return
    declared = roster.uai.strip().upper()
    if declared != expected:
        # UAIs are public school codes, not personal data: naming both helps the manager.
        raise UaiMismatch(
            f"Le fichier « {source_name} » appartient à un autre établissement (UAI {declared}) "
            f"que celui pour lequel il a été déposé (UAI {expected}) : rien n'a été importé.",
            code="uai_mismatch",
            hint="Déposez l'export de votre propre établissement, ou déposez ce fichier dans le dossier de "
            "l'établissement qu'il concerne.",
        )
