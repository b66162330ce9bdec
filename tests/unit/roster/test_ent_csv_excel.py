"""Exports re-saved by Excel or LibreOffice: CRLF, dropped quoting, another separator."""

from __future__ import annotations

import io

import pytest

from elea.models.person import Person
from elea.models.roster import Roster
from elea.roster.ent_csv import read_ent_csv
from tests.fixtures.ent_export import EntAccount, Generation, Language, render_ent, render_excel

ACCOUNTS = [
    EntAccount(
        id="1234567",
        siecle_id="111",
        profile="student",
        last_name="D'ALMEIDA",
        first_name="Anne-Sophie",
        login="anne-sophie.dalmeida",
        structures=("CITE SCOLAIRE JEAN MOULIN",),
        classes=("2NDE1",),
    ),
    EntAccount(
        id="7654321",
        profile="teacher",
        last_name="LE GOFF",
        first_name="Jean-Noël",
        login="jean-noel.legoff",
        functions=("HISTOIRE-GEOGRAPHIE", "EDUCATION"),
        structures=("CITE SCOLAIRE JEAN MOULIN",),
        classes=("6A", "2NDE1", "TG2"),
    ),
    EntAccount(id="99", profile="guest", last_name="MÜLLER", first_name="Zoë", login="zoe.muller"),
]


def _read(data: bytes) -> Roster:
    return read_ent_csv(io.BytesIO(data), "export.csv")


def _essentials(people: list[Person]) -> list[tuple[object, ...]]:
    return [(p.id, p.login, p.last_name, p.first_name, p.profile, p.classes, p.functions, p.line) for p in people]


EXPECTED = _essentials(_read(render_ent(ACCOUNTS)).people)


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize("encoding", ["cp1252", "iso-8859-15", "utf-8-sig"])
def test_spreadsheet_resaves_read_like_the_original(delimiter: str, encoding: str) -> None:
    # GIVEN the export saved again by Excel: minimal quoting, CRLF, this separator and encoding
    data = render_excel(ACCOUNTS, encoding=encoding, delimiter=delimiter)
    assert b"\r\n" in data
    # WHEN read THEN every person, class and line number is the same as in the ENT's file
    roster = _read(data)
    assert roster.issues == []
    assert _essentials(roster.people) == EXPECTED


def test_comma_separated_resave_keeps_multi_valued_cells_together() -> None:
    # GIVEN a comma-separated re-save: Excel quotes "6A, 2NDE1, TG2" because it holds the separator
    data = render_excel(ACCOUNTS, delimiter=",")
    assert b'"6A, 2NDE1, TG2"' in data
    # WHEN read THEN the classes are still three
    assert _read(data).people[1].classes == ("6A", "2NDE1", "TG2")


@pytest.mark.parametrize("generation", list(Generation))
def test_older_generations_resaved_with_tabs_in_english(generation: Generation) -> None:
    data = render_excel(ACCOUNTS, generation, Language.ENGLISH, delimiter="\t", encoding="cp1252")
    assert [p.login for p in _read(data).people] == [a.login for a in ACCOUNTS]


def test_old_mac_line_ends_are_lines_too() -> None:
    # GIVEN a file whose lines end with CR only (old Mac tools)
    data = render_excel(ACCOUNTS, encoding="mac-roman", newline="\r")
    # WHEN read THEN the people and their line numbers are found
    roster = _read(data)
    assert _essentials(roster.people) == EXPECTED


def test_a_quoted_value_with_doubled_quotes_is_unescaped() -> None:
    # GIVEN a spreadsheet re-save of a name holding quotes (the spreadsheet doubles them)
    nickname = EntAccount(
        id="5", profile="student", last_name='DUPONT "LE GRAND"', first_name="Léo", login="leo.dupont"
    )
    data = render_excel([nickname], encoding="cp1252")
    assert b'"DUPONT ""LE GRAND"""' in data
    # WHEN read THEN the name is the original one, and no warning is needed
    roster = _read(data)
    assert roster.people[0].last_name == 'DUPONT "LE GRAND"'
    assert roster.issues == []


def test_trailing_empty_cells_dropped_by_a_tool_are_tolerated() -> None:
    # GIVEN unquoted rows whose empty trailing cells were cut off
    text = (
        "Id;Type;Nom;Prénom;Login;Classes;Courriel\r\n"
        "1;Élève;DURAND;Zoé;zoe.durand;6A\r\n"
        "2;Élève;PETIT;Léo;leo.petit\r\n"
    )
    # WHEN read THEN both rows are read, with empty values
    roster = _read(text.encode("cp1252"))
    assert [(p.login, p.classes, p.email) for p in roster.people] == [
        ("zoe.durand", ("6A",), None),
        ("leo.petit", (), None),
    ]
