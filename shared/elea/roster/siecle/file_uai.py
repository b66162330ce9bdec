"""The UAI a SIECLE or STS file declares: every UAJ element, wherever and however often it appears.

PARAMETRES/UAJ is where SIECLE (text) and STS-web (attribute CODE) write the school, once. A file
with no UAJ, or with UAJ naming different schools (one in PARAMETRES, another deeper down), cannot
be trusted to belong to one school: it is refused, fail closed, before it is compared with the
school it was dropped for. (The previous school of a pupil, SCOLARITE_AN_DERNIER/CODE_RNE, is not
a UAJ: it legitimately names other schools.)
"""

from __future__ import annotations

from collections.abc import Mapping

from elea.domain.uai import validate_uai
from elea.errors import InvalidUai, RosterRefused
from elea.roster.siecle.element_reader import ElementPath

UAJ = "UAJ"
_REEXPORT = "Le fichier a été modifié ou ne provient pas de SIECLE ou de STS-web : exportez-le à nouveau."


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
            hint=_REEXPORT,
        ) from error


class DeclaredUai:
    """Collects every UAJ of a file (its CODE attribute or its text) and gives the one school it names."""

    def __init__(self, source_name: str) -> None:
        self._source_name = source_name
        self._first_line: dict[str, int] = {}
        self._open_had_code = False

    def start(self, path: ElementPath, attributes: Mapping[str, str], line: int) -> None:
        if path[-1] == UAJ:
            self._open_had_code = "CODE" in attributes
            if self._open_had_code:
                self._note(attributes["CODE"], line)

    def end(self, path: ElementPath, text: str, line: int) -> None:
        # A UAJ with neither a CODE nor a text names no school: refused as invalid, never skipped.
        if path[-1] == UAJ and (text.strip() or not self._open_had_code):
            self._note(text, line)

    def _note(self, value: str, line: int) -> None:
        self._first_line.setdefault(uai_declared_in_file(value, self._source_name, line), line)

    def uai(self) -> str:
        """The one UAI the file declares; RosterRefused when it declares none or several."""
        if not self._first_line:
            raise RosterRefused(
                f"Le fichier « {self._source_name} » ne déclare aucun établissement (aucun code UAI, "
                "élément UAJ) : impossible de vérifier qu'il appartient à votre établissement, rien n'a été importé.",
                code="uai_missing_in_file",
                file=self._source_name,
                hint=_REEXPORT,
            )
        if len(self._first_line) > 1:
            named = ", ".join(f"{uai} (ligne {line})" for uai, line in sorted(self._first_line.items()))
            raise RosterRefused(
                f"Le fichier « {self._source_name} » déclare plusieurs établissements ({named}) : impossible de "
                "savoir à quel établissement il appartient, rien n'a été importé.",
                code="uai_ambiguous_in_file",
                file=self._source_name,
                line=min(self._first_line.values()),
                hint="Un export SIECLE ou STS-web ne concerne qu'un établissement. " + _REEXPORT,
            )
        return next(iter(self._first_line))
