"""Rows with problems: unescaped quotes, duplicates, missing values, empty classes, line numbers."""

from __future__ import annotations

import io

import pytest

from elea.models.issue import Severity
from elea.models.person import Person, Profile
from elea.models.roster import Roster
from elea.roster.ent_csv import read_ent_csv

HEADER = '"Id";"Identifiant SIECLE";"Type";"Nom";"Prénom";"Identifiant";"Classes";"Fonctions";"Établissements"'


def _row(
    person_id: str,
    last_name: str = "DURAND",
    first_name: str = "Zoé",
    login: str | None = None,
    profile: str = "Élève",
    classes: str = "6A",
    functions: str = "",
    structures: str = "CITE SCOLAIRE JEAN MOULIN",
) -> str:
    login = f"login.{person_id}" if login is None else login
    cells = [person_id, "", profile, last_name, first_name, login, classes, functions, structures]
    return ";".join(f'"{cell}"' for cell in cells)  # the ENT escapes nothing


def _read(*rows: str) -> Roster:
    text = "\ufeff" + "\n".join([HEADER, *rows]) + "\n"
    return read_ent_csv(io.BytesIO(text.encode("utf-8")), "export.csv")


def _codes(roster: Roster) -> list[tuple[int | None, str]]:
    return [(issue.line, issue.code) for issue in roster.issues]


@pytest.mark.parametrize(
    "last_name",
    ['DUPONT "LE GRAND"', '"JOJO" DUPONT', 'DUPONT "JOJO', 'DUPONT"', '"DUPONT', '"'],
)
def test_an_unescaped_quote_is_recovered_and_does_not_swallow_the_next_rows(last_name: str) -> None:
    # GIVEN a name holding a quote the ENT did not escape, between two ordinary rows
    roster = _read(_row("1"), _row("2", last_name=last_name), _row("3"), _row("4"))
    # WHEN read THEN the name is kept as written, with a warning on its own line only
    assert [p.id for p in roster.people] == ["1", "2", "3", "4"]
    assert roster.people[1].last_name == last_name
    assert _codes(roster) == [(3, "unescaped_quote")]
    assert roster.issues[0].severity is Severity.WARNING
    assert roster.issues[0].person_id == "2"


def test_a_row_that_cannot_be_split_is_reported_on_its_own_line() -> None:
    # GIVEN a value holding the separator itself between quotes ("; ") on line 3
    roster = _read(_row("1"), _row("2", last_name='DUPONT";"X'), _row("3"))
    # WHEN read THEN line 3 is an error that keeps the row's Id, and lines 2 and 4 are read
    assert [p.id for p in roster.people] == ["1", "3"]
    assert _codes(roster) == [(3, "bad_column_count")]
    assert roster.issues[0].severity is Severity.ERROR
    assert roster.issues[0].person_id == "2"


def test_an_unclosed_quote_never_reaches_the_next_line() -> None:
    # GIVEN a row cut in the middle of a quoted value
    roster = _read(_row("1"), '"2";"";"Élève";"DUR', _row("3"))
    # WHEN read THEN only that line is lost
    assert [p.id for p in roster.people] == ["1", "3"]
    assert _codes(roster) == [(3, "bad_column_count")]


@pytest.mark.parametrize("value", ["x" * 200_000, '"' + "x" * 200_000])
def test_a_huge_line_is_a_row_error_and_the_next_rows_are_read(value: str) -> None:
    # GIVEN a row with a value past csv's field limit (128 KiB), quoted oddly or not, on line 3
    roster = _read(_row("1"), '"2";"";"Élève";"' + value, _row("3"))
    # WHEN read THEN that line is an error that keeps its Id, with no traceback, and line 4 is read
    assert [p.id for p in roster.people] == ["1", "3"]
    assert _codes(roster) == [(3, "line_too_long")]
    assert roster.issues[0].person_id == "2"
    assert "x" * 10 not in roster.issues[0].message


def test_same_id_on_several_rows_is_one_person_with_classes_merged() -> None:
    # GIVEN a teacher linked to two structures: one row per structure
    roster = _read(
        _row("T1", profile="Enseignant", classes="6A, 5B", functions="MATHEMATIQUES"),
        _row("2"),
        _row("T1", profile="Enseignant", classes="5B, 2NDE1", functions="FORMATION CONTINUE", structures="GRETA"),
    )
    # WHEN read THEN one person, classes and functions merged in order of appearance, first line kept
    assert [p.id for p in roster.people] == ["T1", "2"]
    teacher = roster.people[0]
    assert teacher.classes == ("6A", "5B", "2NDE1")
    assert teacher.functions == ("MATHEMATIQUES", "FORMATION CONTINUE")
    assert teacher.line == 2
    assert roster.issues == []
    assert roster.classes == ["2NDE1", "5B", "6A"]


def test_same_id_with_other_names_is_merged_with_a_warning() -> None:
    roster = _read(_row("1", last_name="DURAND"), _row("1", last_name="DURANT", classes="6B"))
    assert roster.people[0].last_name == "DURAND"
    assert roster.people[0].classes == ("6A", "6B")
    assert _codes(roster) == [(3, "duplicate_id_conflict")]
    assert roster.issues[0].severity is Severity.WARNING


def test_same_id_with_another_login_is_an_error() -> None:
    # GIVEN two different accounts (different logins) sharing an Id
    roster = _read(_row("1", login="zoe.durand"), _row("1", login="leo.petit"))
    # THEN the second is an error on its line and is not merged
    assert [p.login for p in roster.people] == ["zoe.durand"]
    assert _codes(roster) == [(3, "duplicate_id")]
    assert roster.issues[0].person_id == "1"


def test_two_ids_with_the_same_login_is_an_error_on_the_second_row() -> None:
    # GIVEN two Ids whose logins differ only by case
    roster = _read(_row("1", login="zoe.durand"), _row("2"), _row("3", login="Zoe.Durand"))
    # WHEN read THEN line 4 is an error naming line 2, holding no login, keeping its Id
    assert [p.id for p in roster.people] == ["1", "2"]
    assert _codes(roster) == [(4, "duplicate_login")]
    issue = roster.issues[0]
    assert issue.severity is Severity.ERROR
    assert issue.person_id == "3"
    assert "ligne 2" in issue.message
    assert "zoe" not in issue.message.lower()


@pytest.mark.parametrize(
    ("row", "code", "person_id", "column"),
    [
        (_row("", last_name="DURAND"), "missing_id", None, "Id"),
        (_row("7", login=" "), "missing_login", "7", "Identifiant"),
        (_row("7", last_name=""), "missing_name", "7", "Nom"),
        (_row("7", first_name=""), "missing_name", "7", "Prénom"),
        (_row("7", login="", last_name=""), "missing_login", "7", "Identifiant, Nom"),
    ],
)
def test_missing_id_login_or_name_is_a_row_error(row: str, code: str, person_id: str | None, column: str) -> None:
    # GIVEN a row lacking a required value, then a good row
    roster = _read(row, _row("8"))
    # WHEN read THEN the row is an error naming the empty columns, and the next row is read
    assert [p.id for p in roster.people] == ["8"]
    assert _codes(roster) == [(2, code)]
    issue = roster.issues[0]
    assert (issue.person_id, issue.column, issue.severity) == (person_id, column, Severity.ERROR)
    assert "DURAND" not in issue.message


def test_unknown_type_is_a_row_error() -> None:
    roster = _read(_row("1", profile="Directeur"), _row("2"))
    assert [p.id for p in roster.people] == ["2"]
    assert _codes(roster) == [(2, "unknown_profile")]
    assert "Directeur" not in roster.issues[0].message


def test_empty_class_names_are_dropped() -> None:
    # GIVEN class cells with empty names and repeats
    roster = _read(_row("1", classes=", 6A, , 6A,"), _row("2", classes=" "), _row("3", classes=""))
    # WHEN read THEN only real, distinct class names remain
    assert [p.classes for p in roster.people] == [("6A",), (), ()]
    assert roster.classes == ["6A"]


def test_line_numbers_are_physical_lines_of_the_file() -> None:
    # GIVEN blank lines between rows
    text = "\ufeff" + HEADER + "\n\n" + _row("1") + "\n   \n" + _row("2", last_name="") + "\n"
    roster = read_ent_csv(io.BytesIO(text.encode()), "export.csv")
    # WHEN read THEN lines are counted as an editor counts them
    assert roster.people[0].line == 3
    assert _codes(roster) == [(5, "missing_name")]


def test_values_are_trimmed_and_optional_values_are_none_when_empty() -> None:
    roster = _read(_row(" 1 ", last_name=" DURAND ", first_name="Zoé ", login=" zoe.durand"))
    person = roster.people[0]
    assert (person.id, person.last_name, person.first_name, person.login) == ("1", "DURAND", "Zoé", "zoe.durand")
    assert (person.siecle_id, person.email, person.birth_date) == (None, None, None)


def test_people_read_fast_equal_people_built_by_pydantic() -> None:
    # GIVEN a person read from a file (built without a second validation, for speed)
    read = _read(_row("1", classes="6A, 5B", functions="EDUCATION")).people[0]
    # WHEN the same values go through pydantic's validation
    validated = Person(
        id="1",
        login="login.1",
        last_name="DURAND",
        first_name="Zoé",
        profile=Profile.STUDENT,
        classes=("6A", "5B"),
        functions=("EDUCATION",),
        line=2,
    )
    # THEN both are the same model: equal, same dump, frozen, copyable (guards the pydantic internals used)
    assert read == validated
    assert read.model_dump() == validated.model_dump()
    assert list(read.__dict__) == list(Person.model_fields)
    assert read.model_fields_set == set(Person.model_fields)
    assert read.model_copy(update={"classes": ("4C",)}).classes == ("4C",)
    assert read.classes == ("6A", "5B")
    with pytest.raises(Exception, match="frozen"):
        read.login = "other"  # type: ignore[misc]
    assert Person.model_validate(read.model_dump()) == read


def test_uai_is_taken_from_structure_names_only_when_one_valid_uai_is_named() -> None:
    # GIVEN structure names carrying a valid UAI (0750654D), an invalid one, or two different ones
    single = _read(_row("1", structures="LYCEE JEAN MOULIN (0750654D)"), _row("2", structures="LYCEE (0750654d)"))
    invalid = _read(_row("1", structures="LYCEE JEAN MOULIN (0750654E)"))
    several = _read(_row("1", structures="LYCEE A (0750654D), COLLEGE B (0771234Y)"), _row("2"))
    none = _read(_row("1"))
    # THEN only the single valid one is the roster's UAI
    assert single.uai == "0750654D"
    assert invalid.uai is None
    assert none.uai is None
    assert several.uai is None


@pytest.mark.parametrize("damage", ["\x01", "\x1b", "\x7f"])
def test_control_character_in_a_name_is_a_row_error(damage: str) -> None:
    # GIVEN a row whose name carries a control byte (a damaged file), between two good rows
    roster = _read(_row("A1"), _row("B2", last_name=f"MAR{damage}TIN"), _row("C3"))
    # THEN that row is an error on its own line, keeping its Id; the others are read
    assert _codes(roster) == [(3, "control_character")]
    assert roster.issues[0].person_id == "B2"
    assert [person.id for person in roster.people] == ["A1", "C3"]


def test_a_non_breaking_space_in_a_name_is_not_damage() -> None:
    # GIVEN a name with a non-breaking space (Excel keeps them) WHEN read THEN accepted as it is
    roster = _read(_row("A1", last_name="LE\u00a0GOFF"))
    assert roster.issues == []
    assert roster.people[0].last_name == "LE\u00a0GOFF"


def test_a_nul_byte_past_the_sniffed_head_is_a_row_error() -> None:
    # GIVEN a NUL byte in a name beyond the first 64 KiB (the head only is screened for binary files)
    filler = [_row(f"F{index}") for index in range(800)]
    roster = _read(*filler, _row("B2", last_name="MAR\x00TIN"))
    # THEN that row alone is refused, on its own line
    assert _codes(roster) == [(802, "control_character")]
    assert len(roster.people) == 800
