"""STS-web "sts_emp_<UAI>_<année>.xml" (root STS_EDT): the teachers and their divisions.

Layout:
    STS_EDT/PARAMETRES/UAJ[@CODE]                              the school's UAI (every UAJ is checked)
    STS_EDT/DONNEES/INDIVIDUS/INDIVIDU[@ID]                    one member of staff
        NOM_USAGE (else NOM_PATRONYMIQUE), PRENOM, DATE_NAISSANCE (yyyy-mm-dd), FONCTION (ENS = teacher)
    STS_EDT/DONNEES/STRUCTURE/DIVISIONS/DIVISION[@CODE]/SERVICES/SERVICE/ENSEIGNANTS/ENSEIGNANT[@ID]
        a teacher's service in a division (the class)

Groups (STRUCTURE/GROUPES) are not classes and are not read. Staff who are not teachers
(direction, vie scolaire...) are left out: this export is the teachers' source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from elea.models.issue import Issue
from elea.models.person import Person, Profile
from elea.models.roster import RosterFormat
from elea.roster.issue_log import DEFAULT_MAX_ROW_ERRORS
from elea.roster.siecle.dates import parse_iso_date
from elea.roster.siecle.element_reader import ElementPath
from elea.roster.siecle.export_reader import ExportReader
from elea.roster.siecle.row_issues import error_at

ROOT = "STS_EDT"
ID_PREFIX = "sts:"
TEACHER_FUNCTION = "ENS"

_INDIVIDU = (ROOT, "DONNEES", "INDIVIDUS", "INDIVIDU")
_DIVISION = (ROOT, "DONNEES", "STRUCTURE", "DIVISIONS", "DIVISION")
_ENSEIGNANT = (*_DIVISION, "SERVICES", "SERVICE", "ENSEIGNANTS", "ENSEIGNANT")
_INDIVIDU_FIELDS = frozenset({"NOM_USAGE", "NOM_PATRONYMIQUE", "PRENOM", "DATE_NAISSANCE", "FONCTION"})


@dataclass
class _Individual:
    individu_id: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)


class StsEmpReader(ExportReader[_Individual]):
    """Collects teachers and their division links, then builds the roster at the end of the file."""

    def __init__(self, source_name: str, encoding: str, *, max_errors: int = DEFAULT_MAX_ROW_ERRORS) -> None:
        super().__init__(RosterFormat.STS_EMP, ROOT, source_name, encoding, max_errors=max_errors)
        self._teachers: list[_Individual] = []
        self._current: _Individual | None = None
        self._current_division: str | None = None
        self._divisions_by_teacher: dict[str, set[str]] = {}

    def start(self, path: ElementPath, attributes: Mapping[str, str], line: int) -> None:
        super().start(path, attributes, line)
        if path == _INDIVIDU:
            self._current = _Individual(individu_id=attributes.get("ID", "").strip(), line=line)
        elif path == _DIVISION:
            self._current_division = attributes.get("CODE", "").strip() or None
        elif path == _ENSEIGNANT:
            teacher_id = attributes.get("ID", "").strip()
            if teacher_id and self._current_division:
                self._divisions_by_teacher.setdefault(teacher_id, set()).add(self._current_division)

    def end(self, path: ElementPath, text: str, line: int) -> None:
        super().end(path, text, line)
        if path[:-1] == _INDIVIDU and path[-1] in _INDIVIDU_FIELDS and self._current is not None:
            self._current.fields[path[-1]] = text.strip()
        elif path == _INDIVIDU and self._current is not None:
            # Only teachers are kept: the rest of the staff would be a list of names we do not need.
            if self._current.fields.get("FONCTION", "").upper() == TEACHER_FUNCTION:
                self._teachers.append(self._current)
            self._current = None
        elif path == _DIVISION:
            self._current_division = None

    def _kept(self) -> list[_Individual]:
        return self._teachers

    def _person_or_issue(self, teacher: _Individual, seen_ids: set[str], issues: list[Issue]) -> Person | None:
        fields, line = teacher.fields, teacher.line
        if not teacher.individu_id:
            issues.append(error_at(line, "missing_id", "Enseignant sans identifiant STS (attribut ID) : ignoré."))
            return None
        person_id = ID_PREFIX + teacher.individu_id
        if person_id in seen_ids:
            issues.append(
                error_at(
                    line,
                    "duplicate_id",
                    f"L'identifiant d'enseignant n° {teacher.individu_id} apparaît plusieurs fois : seule la "
                    "première occurrence est importée.",
                    person_id,
                )
            )
            return None
        seen_ids.add(person_id)
        last_name = fields.get("NOM_USAGE") or fields.get("NOM_PATRONYMIQUE", "")
        first_name = fields.get("PRENOM", "")
        if not last_name or not first_name:
            missing = "nom" if not last_name else "prénom"
            issues.append(
                error_at(
                    line,
                    "missing_name",
                    f"Enseignant n° {teacher.individu_id} sans {missing} : non importé.",
                    person_id,
                )
            )
            return None
        return Person(
            id=person_id,
            login=None,
            last_name=last_name,
            first_name=first_name,
            profile=Profile.TEACHER,
            classes=tuple(sorted(self._divisions_by_teacher.get(teacher.individu_id, ()))),
            birth_date=parse_iso_date(fields.get("DATE_NAISSANCE", "")),
            line=line,
        )
