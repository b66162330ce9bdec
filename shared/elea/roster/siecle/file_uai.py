"""The UAI a SIECLE or STS file declares (PARAMETRES/UAJ), checked by the one UAI rule."""

from __future__ import annotations

from elea.domain.uai import validate_uai
from elea.errors import InvalidUai, RosterRefused


def uai_declared_in_file(value: str, source_name: str, line: int) -> str:
    """Returns the normalised UAI, or refuses the whole file: a file naming no valid school
    cannot be checked against the school it was dropped for."""
    try:
        return validate_uai(value)
    except InvalidUai as error:
        raise RosterRefused(
            f"Le code UAI déclaré dans le fichier « {source_name} » (ligne {line}) n'est pas valide : {error.message}",
            code="invalid_uai_in_file",
            file=source_name,
            line=line,
            hint="Le fichier a été modifié ou ne provient pas de SIECLE ou de STS-web : exportez-le à nouveau.",
        ) from error
