"""SIECLE "Élèves sans adresses" (ElevesSansAdresses.xml, root BEE_ELEVES).

Layout (ISO-8859-15):
    BEE_ELEVES/PARAMETRES/UAJ                                  the school's UAI (every UAJ is checked)
    BEE_ELEVES/DONNEES/ELEVES/ELEVE[@ELEVE_ID]                 one student
        NOM_DE_FAMILLE (NOM in old versions), PRENOM, DATE_NAISS (dd/mm/yyyy), DATE_SORTIE
    BEE_ELEVES/DONNEES/STRUCTURES/STRUCTURES_ELEVE[@ELEVE_ID]/STRUCTURE
        CODE_STRUCTURE, TYPE_STRUCTURE: D = division (the class), G = group (not a class)

ELEVES usually precede STRUCTURES, but nothing depends on that order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from elea.models.issue import Issue
from elea.models.person import Person, Profile
from elea.models.roster import RosterFormat
from elea.roster.issue_log import DEFAULT_MAX_ROW_ERRORS
from elea.roster.siecle.dates import parse_french_date
from elea.roster.siecle.element_reader import ElementPath
from elea.roster.siecle.export_reader import ExportReader
from elea.roster.siecle.row_issues import error_at, warning_at

ROOT = "BEE_ELEVES"
ID_PREFIX = "siecle:"
DIVISION = "D"

_ELEVE = (ROOT, "DONNEES", "ELEVES", "ELEVE")
_STRUCTURES_ELEVE = (ROOT, "DONNEES", "STRUCTURES", "STRUCTURES_ELEVE")
_STRUCTURE = (*_STRUCTURES_ELEVE, "STRUCTURE")
_ELEVE_FIELDS = frozenset({"NOM_DE_FAMILLE", "NOM", "PRENOM", "DATE_NAISS", "DATE_SORTIE"})
_STRUCTURE_FIELDS = frozenset({"CODE_STRUCTURE", "TYPE_STRUCTURE"})


@dataclass
class _Student:
    eleve_id: str
    line: int
    fields: dict[str, str] = field(default_factory=dict)


class SiecleElevesReader(ExportReader[_Student]):
    """Collects students and their divisions, then builds the roster at the end of the file."""

    def __init__(self, source_name: str, encoding: str, *, max_errors: int = DEFAULT_MAX_ROW_ERRORS) -> None:
        super().__init__(RosterFormat.SIECLE_ELEVES, ROOT, source_name, encoding, max_errors=max_errors)
        self._students: list[_Student] = []
        self._divisions: dict[str, list[str]] = {}
        self._current_student: _Student | None = None
        self._structure_owner: str | None = None
        self._structure: dict[str, str] = {}

    def start(self, path: ElementPath, attributes: Mapping[str, str], line: int) -> None:
        super().start(path, attributes, line)
        if path == _ELEVE:
            self._current_student = _Student(eleve_id=attributes.get("ELEVE_ID", "").strip(), line=line)
        elif path == _STRUCTURES_ELEVE:
            self._structure_owner = attributes.get("ELEVE_ID", "").strip()
        elif path == _STRUCTURE:
            self._structure = {}

    def end(self, path: ElementPath, text: str, line: int) -> None:
        super().end(path, text, line)
        parent, tag = path[:-1], path[-1]
        if parent == _ELEVE and tag in _ELEVE_FIELDS and self._current_student is not None:
            self._current_student.fields[tag] = text.strip()
        elif path == _ELEVE and self._current_student is not None:
            self._students.append(self._current_student)
            self._current_student = None
        elif parent == _STRUCTURE and tag in _STRUCTURE_FIELDS:
            self._structure[tag] = text.strip()
        elif path == _STRUCTURE:
            self._add_division()
        elif path == _STRUCTURES_ELEVE:
            self._structure_owner = None

    def _add_division(self) -> None:
        code = self._structure.get("CODE_STRUCTURE", "")
        # Groups (G) are teaching groups across classes: they never become cohorts.
        if self._structure_owner and code and self._structure.get("TYPE_STRUCTURE", "").upper() == DIVISION:
            divisions = self._divisions.setdefault(self._structure_owner, [])
            if code not in divisions:
                divisions.append(code)

    def _kept(self) -> list[_Student]:
        return self._students

    def _person_or_issue(self, student: _Student, seen_ids: set[str], issues: list[Issue]) -> Person | None:
        fields, line = student.fields, student.line
        if not student.eleve_id:
            issues.append(error_at(line, "missing_id", "Élève sans identifiant SIECLE (attribut ELEVE_ID) : ignoré."))
            return None
        person_id = ID_PREFIX + student.eleve_id
        if fields.get("DATE_SORTIE"):
            # No person_id: a student who left must be suspendable by the deprovisioning step.
            issues.append(
                warning_at(
                    line,
                    "student_left",
                    f"Élève n° {student.eleve_id} sorti de l'établissement (date de sortie renseignée) : non importé.",
                )
            )
            return None
        if person_id in seen_ids:
            issues.append(
                error_at(
                    line,
                    "duplicate_id",
                    f"L'identifiant d'élève n° {student.eleve_id} apparaît plusieurs fois : seule la première "
                    "occurrence est importée.",
                    person_id,
                )
            )
            return None
        seen_ids.add(person_id)
        last_name = fields.get("NOM_DE_FAMILLE") or fields.get("NOM", "")
        first_name = fields.get("PRENOM", "")
        if not last_name or not first_name:
            missing = "nom" if not last_name else "prénom"
            issues.append(
                error_at(line, "missing_name", f"Élève n° {student.eleve_id} sans {missing} : non importé.", person_id)
            )
            return None
        birth_date = parse_french_date(fields.get("DATE_NAISS", ""))
        if fields.get("DATE_NAISS") and birth_date is None:
            issues.append(
                warning_at(
                    line,
                    "invalid_birth_date",
                    f"Élève n° {student.eleve_id} : date de naissance illisible (jj/mm/aaaa attendu), "
                    "importé sans date de naissance.",
                    person_id,
                )
            )
        classes = tuple(self._divisions.get(student.eleve_id, ()))
        if not classes:
            issues.append(
                warning_at(
                    line,
                    "student_without_division",
                    f"Élève n° {student.eleve_id} sans division (classe) dans SIECLE : importé sans classe.",
                    person_id,
                )
            )
        return Person(
            id=person_id,
            login=None,
            last_name=last_name,
            first_name=first_name,
            profile=Profile.STUDENT,
            classes=classes,
            siecle_id=student.eleve_id,
            birth_date=birth_date,
            line=line,
        )
