"""The data rows of an ENT export, read one physical line at a time into people and issues.

This is the per-row path of a 100,000-row file, so it is written for speed: local variables,
one `split` for the usual fully-quoted line, caches for the multi-valued cells that repeat
(a class list is shared by a whole class), and the odd lines handed to splitting.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from elea.models.issue import Issue
from elea.models.person import Person, Profile
from elea.roster.ent import row_issues
from elea.roster.ent.headers import Column, HeaderLayout
from elea.roster.ent.profiles import EXACT_PROFILES, profile_of
from elea.roster.ent.school import StructureSchools
from elea.roster.ent.splitting import split_irregular

# Bounds on the caches: enough for any real school, small against a 100,000-row file.
_MULTI_VALUE_CACHE_SIZE = 4096
_LOGIN_DAYS_KEPT = 20_000
_MAX_ID_LENGTH = 128
# C0 controls (tab and line ends aside) and DEL; NBSP and other Unicode spaces are not damage.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Every field of Person is set below, so all instances can share one "fields set" (pydantic
# copies it before changing it, in model_copy; Person is frozen so nothing else changes it).
_ALL_PERSON_FIELDS = set(Person.model_fields)


class MultiValueCells:
    """Splits cells like "6A, 6B" once per distinct cell (a class list repeats for a whole class)
    and remembers every value it gave out."""

    __slots__ = ("cache", "values")

    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, ...]] = {}
        self.values: set[str] = set()

    def split(self, cell: str) -> tuple[str, ...]:
        values = split_multi_value(cell)
        self.values.update(values)
        if len(self.cache) < _MULTI_VALUE_CACHE_SIZE:
            self.cache[cell] = values
        return values

    def of(self, fields: list[str], index: int | None) -> tuple[str, ...]:
        if index is None or not (cell := fields[index]):
            return ()
        return self.cache.get(cell) or self.split(cell)


@dataclass
class RowsRead:
    people: dict[str, Person] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
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


def read_rows(lines: Iterable[str], layout: HeaderLayout, first_line_number: int) -> RowsRead:
    """Reads data rows; `first_line_number` is the physical line number of the first one."""
    result = RowsRead()
    people = result.people
    issues = result.issues
    logins: dict[str, str] = {}  # lower-cased login → Id of its owner
    class_cells = MultiValueCells()
    function_cells = MultiValueCells()
    cached_classes = class_cells.cache.get
    cached_functions = function_cells.cache.get
    schools = result.schools
    school_uais = schools.uais
    school_of = schools.by_person
    add_without_uai = schools.without_uai.add
    name_counts = schools.names
    count_of_name = name_counts.get

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
    new_person = object.__new__
    set_slot = object.__setattr__
    all_fields = _ALL_PERSON_FIELDS
    no_values: tuple[str, ...] = ()
    last_structures = ""
    last_uais = no_values
    last_named = False

    line_number = first_line_number - 1
    for raw_line in lines:
        line_number += 1
        if raw_line[0] == '"' and raw_line.count('"') == quotes_in_plain_line and raw_line.endswith('"\n'):
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
        # isprintable() is the cheap screen; only a rare row pays for the exact control-character test.
        if not (login.isprintable() and last_name.isprintable() and first_name.isprintable()) and any(
            _has_control_character(value) for value in (login, last_name, first_name)
        ):
            issues.append(row_issues.control_character(line_number, person_id))  # names unprintable: left out
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

        login_key = login if login.islower() else login.lower()
        known = people.get(person_id)
        if known is not None:
            if login_key != (known.login or "").lower():
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
            people[person_id] = _merged(known, classes, function_cells.of(fields, i_functions))
            if i_structures is not None:
                schools.note_again(person_id, fields[i_structures])
            if _differs(known, last_name, first_name, profile):
                issues.append(_conflict(line_number, layout, known, last_name, first_name, profile))
            continue
        owner = logins.get(login_key)
        if owner is not None:
            issues.append(
                _named(
                    row_issues.duplicate_login(line_number, people[owner].line, layout.label(Column.LOGIN), person_id),
                    fields,
                    i_classes,
                    last_name,
                    first_name,
                )
            )
            continue
        logins[login_key] = person_id

        classes = no_values
        if i_classes is not None and (cell := fields[i_classes]):
            classes = cached_classes(cell) or class_cells.split(cell)
        functions = no_values
        if i_functions is not None and (cell := fields[i_functions]):
            functions = cached_functions(cell) or function_cells.split(cell)
        if i_structures is not None:
            cell = fields[i_structures]
            if cell != last_structures:  # nearly every row names the same structure
                last_structures = cell
                last_uais = school_uais(cell)
                last_named = bool(cell.strip())
            if last_uais:
                school_of[person_id] = last_uais
            elif last_named:
                add_without_uai(person_id)
            if last_named:
                count = count_of_name(cell)
                if count is None:
                    schools.new_name(cell)
                else:
                    name_counts[cell] = count + 1
        if (
            i_last_login is not None
            and (day := fields[i_last_login][:10])
            and day not in last_login_days
            and len(last_login_days) < _LOGIN_DAYS_KEPT
        ):
            last_login_days.add(day)
        siecle_id = (fields[i_siecle].strip() or None) if i_siecle is not None else None
        email = (fields[i_email].strip() or None) if i_email is not None else None
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
    result.class_names = class_cells.values
    return result


def _split_or_report(line: str, layout: HeaderLayout, line_number: int, issues: list[Issue]) -> list[str]:
    """Fields of an irregular line, or [] once its problem is recorded as an issue."""
    fields, problem = split_irregular(line, layout.delimiter, layout.width)
    if problem is None:
        return fields
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
    """An erroneous row's person, for the report only (issue 8, item 7): never in the message."""
    class_cell = fields[i_classes].strip() if i_classes is not None and i_classes < len(fields) else ""
    return issue.model_copy(
        update={"last_name": last_name or None, "first_name": first_name or None, "class_name": class_cell or None}
    )
