"""The data rows of an ENT export, read one physical line at a time into people and issues.

This is the per-row path of a 100,000-row file, so it is written for speed: local variables,
one `split` for the usual fully-quoted line, caches for the multi-valued cells that repeat
(a class list is shared by a whole class), and the odd lines handed to splitting.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from elea.domain.field_limits import CLASS_NAME_MAX, EMAIL_MAX, IDNUMBER_MAX, NAME_MAX, USERNAME_MAX
from elea.domain.identity import hidden_character_in, identity_key, looks_like_uai
from elea.models.issue import Issue
from elea.models.person import Person, Profile
from elea.roster.ent import row_issues
from elea.roster.ent.headers import Column, HeaderLayout
from elea.roster.ent.line_text import repaired_double_encoding
from elea.roster.ent.profiles import EXACT_PROFILES, profile_of
from elea.roster.ent.school import StructureSchools
from elea.roster.ent.splitting import MAX_LINE_CHARS, split_irregular
from elea.roster.issue_log import IssueLog

# Bounds on the caches: enough for any real school, small against a 100,000-row file.
_MULTI_VALUE_CACHE_SIZE = 4096
_LOGIN_DAYS_KEPT = 20_000
_MAX_ID_LENGTH = 128
# C0 controls (tab and line ends aside), DEL and C1 controls; NBSP and other Unicode spaces are not damage.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A login starting so could be UAI-shaped ("0771234Y", "O771234Y", full-width digits): check it.
_MAYBE_UAI_START = frozenset("0123456789oOiIlL|")

# Every field of Person is set below, so all instances can share one "fields set" (pydantic
# copies it before changing it, in model_copy; Person is frozen so nothing else changes it).
_ALL_PERSON_FIELDS = set(Person.model_fields)


class MultiValueCells:
    """Splits cells like "6A, 6B" once per distinct cell (a class list repeats for a whole class)
    and remembers every value it gave out."""

    __slots__ = ("cache", "check", "problem", "values")

    def __init__(self, check: Callable[[str], str | None] | None = None) -> None:
        self.cache: dict[str, tuple[str, ...]] = {}
        self.values: set[str] = set()
        # Checks each value; a cell with a bad value gives None (never cached) and names it in `problem`.
        self.check = check
        self.problem: str | None = None

    def split(self, cell: str) -> tuple[str, ...] | None:
        values = split_multi_value(cell)
        if (check := self.check) is not None:
            # A value already given out has passed: only the new ones are checked (a teacher's list is new,
            # its classes are not).
            given = self.values
            self.problem = next((problem for value in values if value not in given and (problem := check(value))), None)
            if self.problem is not None:
                return None
        self.values.update(values)
        if len(self.cache) < _MULTI_VALUE_CACHE_SIZE:
            self.cache[cell] = values
        return values

    def of(self, fields: list[str], index: int | None) -> tuple[str, ...] | None:
        if index is None or not (cell := fields[index]):
            return ()
        return self.cache.get(cell) or self.split(cell)


@dataclass
class RowsRead:
    people: dict[str, Person] = field(default_factory=dict)
    issues: IssueLog = field(default_factory=IssueLog)
    # Every class name of the people read (not of the rows refused).
    class_names: set[str] = field(default_factory=set)
    # The schools each person's "Établissements" cells name, for the Parse step's school check.
    schools: StructureSchools = field(default_factory=StructureSchools)
    # Distinct days of the "Dernière connexion" column (its first 10 characters), bounded: the newest
    # one dates the export (see content_dates.py).
    last_login_days: set[str] = field(default_factory=set)


def split_multi_value(cell: str) -> tuple[str, ...]:
    """ "6A, 6B" → ("6A", "6B"); empty names (", 6B", a trailing ", ") are dropped, order kept."""
    values: list[str] = []
    for part in cell.split(","):
        value = part.strip()
        if value and value not in values:
            values.append(value)
    return tuple(values)


def _has_control_character(value: str) -> bool:
    return _CONTROL_CHARACTER.search(value) is not None


def _plausible_id(value: str) -> bool:
    return 0 < len(value) <= _MAX_ID_LENGTH and '"' not in value and " " not in value


def read_rows(
    lines: Iterable[str], layout: HeaderLayout, first_line_number: int, issues: IssueLog | None = None
) -> RowsRead:
    """Reads data rows; `first_line_number` is the physical line number of the first one."""
    result = RowsRead() if issues is None else RowsRead(issues=issues)
    people = result.people
    issues = result.issues
    logins: dict[str, str] = {}  # identity key of the login (elea.domain.identity) → Id of its owner
    class_cells = MultiValueCells(check=_class_problem)
    function_cells = MultiValueCells()
    cached_classes = class_cells.cache.get
    cached_functions = function_cells.cache.get
    schools = result.schools
    school_uais = schools.uais
    school_of = schools.by_person
    add_without_uai = schools.without_uai.add

    delimiter = layout.delimiter
    width = layout.width
    quoted_separator = f'"{delimiter}"'
    quotes_in_plain_line = 2 * width
    positions = layout.positions
    i_id = positions[Column.ID]
    i_type = positions[Column.TYPE]
    i_last = positions[Column.LAST_NAME]
    i_first = positions[Column.FIRST_NAME]
    i_login = positions[Column.LOGIN]
    i_classes = positions.get(Column.CLASSES)
    i_functions = positions.get(Column.FUNCTIONS)
    i_siecle = positions.get(Column.SIECLE_ID)
    i_email = positions.get(Column.EMAIL)
    i_structures = positions.get(Column.STRUCTURES)
    i_last_login = positions.get(Column.LAST_LOGIN)
    last_login_days = result.last_login_days
    exact_profiles = EXACT_PROFILES
    is_normalized = unicodedata.is_normalized
    normalize = unicodedata.normalize
    new_person = object.__new__
    set_slot = object.__setattr__
    all_fields = _ALL_PERSON_FIELDS
    no_values: tuple[str, ...] = ()
    last_structures = ""
    last_uais = no_values
    last_named = False
    # New people read in a row whose structures cell is `last_structures`: tallied once the cell changes.
    named_run = 0

    line_number = first_line_number - 1
    for raw_line in lines:
        line_number += 1
        if not raw_line.isascii():  # O(1) in CPython
            # Inlined (the per-row path): the cheap screen of line_text.repaired_double_encoding, then NFC.
            if "Ã" in raw_line or "â€" in raw_line or "Å" in raw_line or "Â" in raw_line:
                raw_line = _repaired_line(raw_line, line_number, issues)
            # Below U+0100 every text is NFC (no combining mark, no decomposable-only letter): a line of French
            # names passes on one C copy, where is_normalized looks every character up in Unicode's tables.
            if len(raw_line.encode("latin-1", "ignore")) != len(raw_line) and not is_normalized("NFC", raw_line):
                raw_line = normalize("NFC", raw_line)
        if (
            raw_line[0] == '"'
            and raw_line.count('"') == quotes_in_plain_line
            and raw_line.endswith('"\n')
            and len(raw_line) <= MAX_LINE_CHARS
        ):
            # The ENT's own line: every field quoted, no quote inside a value.
            fields = raw_line[1:-2].split(quoted_separator)
            if len(fields) != width:
                fields = _split_or_report(raw_line.rstrip("\r\n"), layout, line_number, issues)
        else:
            line = raw_line.rstrip("\r\n")
            if not line or line.isspace():
                continue
            if line[0] != '"' and '"' not in line and line.count(delimiter) == width - 1:
                fields = line.split(delimiter)  # an Excel re-save without quoting
            else:
                fields = _split_or_report(line, layout, line_number, issues)
        if not fields:
            continue

        person_id = fields[i_id].strip()
        login = fields[i_login].strip()
        last_name = fields[i_last].strip()
        first_name = fields[i_first].strip()
        if not (person_id and login and last_name and first_name):
            if not issues.counted_only():
                issues.append(
                    _named(
                        _missing(line_number, layout, person_id, login, last_name, first_name),
                        fields,
                        i_classes,
                        last_name,
                        first_name,
                    )
                )
            continue
        if (
            len(person_id) > IDNUMBER_MAX
            or len(login) > USERNAME_MAX
            or len(last_name) > NAME_MAX
            or (len(first_name) > NAME_MAX)
        ):
            issues.append(
                _named(
                    _too_long(line_number, layout, person_id, login, last_name, first_name),
                    fields,
                    i_classes,
                    last_name,
                    first_name,
                )
            )
            continue
        # isprintable() is the cheap screen; only a rare row pays for the exact control-character test.
        # The login's screens are kept: the hidden-character and UAI tests below ask them again.
        login_printable = login.isprintable()
        login_ascii = login.isascii()
        if not (login_printable and last_name.isprintable() and first_name.isprintable()) and any(
            _has_control_character(value) for value in (login, last_name, first_name)
        ):
            issues.append(row_issues.control_character(line_number, person_id))  # names unprintable: left out
            continue
        if (not login_ascii or not login_printable) and hidden_character_in(login):
            issues.append(row_issues.hidden_character(line_number, layout.label(Column.LOGIN), person_id))
            continue
        if ((login[0] in _MAYBE_UAI_START and login[1:2] in _MAYBE_UAI_START) or not login_ascii) and (
            looks_like_uai(login)
        ):
            issues.append(row_issues.reserved_login(line_number, layout.label(Column.LOGIN), person_id))
            continue
        type_cell = fields[i_type]
        profile = exact_profiles.get(type_cell) or profile_of(type_cell)
        if profile is None:
            issues.append(
                _named(
                    row_issues.unknown_profile(line_number, layout.label(Column.TYPE), person_id),
                    fields,
                    i_classes,
                    last_name,
                    first_name,
                )
            )
            continue

        if login_ascii:
            # The login itself when already lower case (no second string kept); lower() and a compare cost
            # less than islower(), which looks each character up in Unicode's tables.
            login_key = login.lower()
            if login_key == login:
                login_key = login
        else:
            login_key = identity_key(login)
        known = people.get(person_id)
        if known is not None:
            if login_key != identity_key(known.login or ""):
                # Not the same account seen twice: two accounts cannot share an Id.
                issues.append(
                    _named(
                        row_issues.duplicate_id(line_number, known.line, layout.label(Column.ID), person_id),
                        fields,
                        i_classes,
                        last_name,
                        first_name,
                    )
                )
                continue
            # One person linked to several structures comes once per structure: merge.
            classes = class_cells.of(fields, i_classes)
            if classes is None:
                issues.append(_class_issue(line_number, layout, class_cells, person_id))
                continue
            people[person_id] = _merged(known, classes, function_cells.of(fields, i_functions) or ())
            if i_structures is not None:
                schools.note_again(person_id, fields[i_structures])
            if _differs(known, last_name, first_name, profile):
                issues.append(_conflict(line_number, layout, known, last_name, first_name, profile))
            continue
        owner = logins.get(login_key)
        if owner is not None:
            first = people[owner]
            same = (first.login or "").lower() == login.lower()
            make = row_issues.duplicate_login if same else row_issues.lookalike_login
            issues.append(
                _named(
                    make(line_number, first.line, layout.label(Column.LOGIN), person_id),
                    fields,
                    i_classes,
                    last_name,
                    first_name,
                )
            )
            continue

        classes = no_values
        if i_classes is not None and (cell := fields[i_classes]):
            checked = cached_classes(cell) or class_cells.split(cell)
            if checked is None:
                issues.append(_class_issue(line_number, layout, class_cells, person_id))
                continue
            classes = checked
        email = (fields[i_email].strip() or None) if i_email is not None else None
        if email is not None and len(email) > EMAIL_MAX:
            issues.append(row_issues.field_too_long(line_number, [layout.label(Column.EMAIL)], EMAIL_MAX, person_id))
            continue
        logins[login_key] = person_id
        functions = no_values
        if i_functions is not None and (cell := fields[i_functions]):
            functions = cached_functions(cell) or function_cells.split(cell) or no_values
        if i_structures is not None:
            cell = fields[i_structures]
            if cell != last_structures:  # nearly every row names the same structure
                if named_run:
                    schools.count_name(last_structures, named_run)
                    named_run = 0
                last_structures = cell
                last_uais = school_uais(cell)
                last_named = bool(cell.strip())
            if last_uais:
                school_of[person_id] = last_uais
            elif last_named:
                add_without_uai(person_id)
            if last_named:
                named_run += 1
        if (
            i_last_login is not None
            and (day := fields[i_last_login][:10])
            and day not in last_login_days
            and len(last_login_days) < _LOGIN_DAYS_KEPT
        ):
            last_login_days.add(day)
        siecle_id = (fields[i_siecle].strip() or None) if i_siecle is not None else None
        # Every value is checked above. The instance's state is set as pydantic's model_construct
        # sets it, field by field into the instance's own (key-sharing) dict and with one shared
        # fields set: 3 µs and 1 KB a person less (test_ent_csv_rows.py holds it equal to Person()).
        person = new_person(Person)
        state = person.__dict__
        state["id"] = person_id
        state["login"] = login
        state["last_name"] = last_name
        state["first_name"] = first_name
        state["profile"] = profile
        state["classes"] = classes
        state["siecle_id"] = siecle_id
        state["birth_date"] = None
        state["email"] = email
        state["functions"] = functions
        state["line"] = line_number
        state["proposed_username"] = None
        set_slot(person, "__pydantic_fields_set__", all_fields)
        set_slot(person, "__pydantic_extra__", None)
        set_slot(person, "__pydantic_private__", None)
        people[person_id] = person
    if named_run:
        schools.count_name(last_structures, named_run)
    result.class_names = class_cells.values
    return result


def _split_or_report(line: str, layout: HeaderLayout, line_number: int, issues: IssueLog) -> list[str]:
    """Fields of an irregular line, or [] once its problem is recorded as an issue."""
    fields, problem = split_irregular(line, layout.delimiter, layout.width)
    if problem is None:
        return fields
    if problem != row_issues.UNESCAPED_QUOTE and issues.counted_only():
        return []
    i_id = layout.positions[Column.ID]
    candidate = fields[i_id].strip() if i_id < len(fields) else ""
    person_id = candidate if _plausible_id(candidate) else None
    if problem == row_issues.UNESCAPED_QUOTE:
        issues.append(row_issues.unescaped_quote(line_number, person_id))
        return fields
    if problem == row_issues.LINE_TOO_LONG:
        issues.append(row_issues.line_too_long(line_number, len(line), _id_at_start(line, layout)))
        return []
    issues.append(row_issues.bad_column_count(line_number, len(fields), layout.width, person_id))
    return []


def _repaired_line(line: str, line_number: int, issues: IssueLog) -> str:
    """The line with double-encoded UTF-8 repaired (and a warning), or as it is."""
    fixed = repaired_double_encoding(line)
    if fixed is None:
        return line
    issues.append(row_issues.double_encoding_repaired(line_number))
    return fixed


def _class_problem(name: str) -> str | None:
    if len(name) > CLASS_NAME_MAX:
        return row_issues.FIELD_TOO_LONG
    # Spaces inside are made single plain spaces for the cohort (elea.logic.cohorts): not a hidden character.
    if hidden_character_in(" ".join(name.split())):
        return row_issues.HIDDEN_CHARACTER
    return None


def _class_issue(line: int, layout: HeaderLayout, cells: MultiValueCells, person_id: str) -> Issue:
    label = layout.label(Column.CLASSES)
    if cells.problem == row_issues.FIELD_TOO_LONG:
        return row_issues.field_too_long(line, [label], CLASS_NAME_MAX, person_id)
    return row_issues.hidden_character(line, label, person_id)


def _too_long(line: int, layout: HeaderLayout, person_id: str, login: str, last: str, first: str) -> Issue:
    over = [
        (column, limit)
        for column, value, limit in (
            (Column.ID, person_id, IDNUMBER_MAX),
            (Column.LOGIN, login, USERNAME_MAX),
            (Column.LAST_NAME, last, NAME_MAX),
            (Column.FIRST_NAME, first, NAME_MAX),
        )
        if len(value) > limit
    ]
    return row_issues.field_too_long(
        line,
        [layout.label(column) for column, _ in over],
        max(limit for _, limit in over),
        person_id if _plausible_id(person_id) else None,
        limits=[limit for _, limit in over],
    )


def _id_at_start(line: str, layout: HeaderLayout) -> str | None:
    """The Id of a line too long to split, when it is the first column (as the ENT writes it)."""
    if layout.positions[Column.ID] != 0:
        return None
    candidate = line[: _MAX_ID_LENGTH + 2].split(layout.delimiter, 1)[0].strip().strip('"')
    return candidate if _plausible_id(candidate) else None


def _missing(line: int, layout: HeaderLayout, person_id: str, login: str, last: str, first: str) -> Issue:
    empty = [
        column
        for column, value in (
            (Column.ID, person_id),
            (Column.LOGIN, login),
            (Column.LAST_NAME, last),
            (Column.FIRST_NAME, first),
        )
        if not value
    ]
    if not person_id:
        code = row_issues.MISSING_ID
    elif not login:
        code = row_issues.MISSING_LOGIN
    else:
        code = row_issues.MISSING_NAME
    labels = [layout.label(column) for column in empty]
    return row_issues.missing_fields(line, code, labels, person_id if _plausible_id(person_id) else None)


def _merged(known: Person, classes: tuple[str, ...], functions: tuple[str, ...]) -> Person:
    merged_classes = known.classes + tuple(value for value in classes if value not in known.classes)
    merged_functions = known.functions + tuple(value for value in functions if value not in known.functions)
    if merged_classes == known.classes and merged_functions == known.functions:
        return known
    return known.model_copy(update={"classes": merged_classes, "functions": merged_functions})


def _differs(known: Person, last_name: str, first_name: str, profile: Profile) -> bool:
    return (last_name, first_name, profile) != (known.last_name, known.first_name, known.profile)


def _conflict(
    line: int, layout: HeaderLayout, known: Person, last_name: str, first_name: str, profile: Profile
) -> Issue:
    differing = [
        layout.label(column)
        for column, before, after in (
            (Column.LAST_NAME, known.last_name, last_name),
            (Column.FIRST_NAME, known.first_name, first_name),
            (Column.TYPE, known.profile, profile),
        )
        if before != after
    ]
    return row_issues.duplicate_id_conflict(line, known.line, differing, known.id)


def _named(issue: Issue, fields: list[str], i_classes: int | None, last_name: str = "", first_name: str = "") -> Issue:
    """An erroneous row's person, for the report only (issue 8, item 7): never in the message. Cut to
    Moodle's name length, so an over-long cell never swells the report."""
    class_cell = fields[i_classes].strip() if i_classes is not None and i_classes < len(fields) else ""
    return issue.model_copy(
        update={
            "last_name": last_name[:NAME_MAX] or None,
            "first_name": first_name[:NAME_MAX] or None,
            "class_name": class_cell[:NAME_MAX] or None,
        }
    )
