"""Each encoding an export arrives in is detected from its bytes and reported in Roster.encoding."""

from __future__ import annotations

import io

import pytest

from elea.models.roster import Roster
from elea.roster.ent_csv import read_ent_csv
from tests.fixtures.ent_export import EntAccount, Generation, Language, ent_text, render_ent, render_excel

# Names that tell the encodings apart: œ is 0x9C in cp1252 but 0xBD in ISO-8859-15; Ÿ 0x9F vs 0xBE.
ACCOUNTS = [
    EntAccount(
        id="1", profile="student", last_name="HŒRNER", first_name="Maëlys", login="maelys.hoerner", classes=("6A",)
    ),
    EntAccount(
        id="2", profile="teacher", last_name="DUBŒUF", first_name="Jérôme", login="jerome.duboeuf", classes=("6A", "5B")
    ),
    EntAccount(id="3", profile="relative", last_name="N'DIAYE", first_name="Noël", login="noel.ndiaye"),
    EntAccount(id="4", profile="personnel", last_name="ÇELIK", first_name="Élodie", login="elodie.celik"),
]
NAMES = [(a.last_name, a.first_name) for a in ACCOUNTS]


def _read(data: bytes) -> Roster:
    return read_ent_csv(io.BytesIO(data), "export.csv")


def _names(roster: Roster) -> list[tuple[str, str]]:
    return [(p.last_name, p.first_name) for p in roster.people]


def test_utf8_with_bom_as_the_ent_sends_it() -> None:
    # GIVEN the ENT's own bytes WHEN read THEN names are intact and the encoding says so
    roster = _read(render_ent(ACCOUNTS))
    assert roster.encoding == "utf-8-sig"
    assert _names(roster) == NAMES


def test_utf8_without_bom() -> None:
    roster = _read(render_ent(ACCOUNTS, bom=False))
    assert roster.encoding == "utf-8"
    assert _names(roster) == NAMES


@pytest.mark.parametrize("encoding", ["cp1252", "iso-8859-15", "mac-roman"])
def test_eight_bit_excel_resaves(encoding: str) -> None:
    # GIVEN the export re-saved by a spreadsheet in an 8-bit encoding
    data = render_excel(ACCOUNTS, encoding=encoding)
    # WHEN read THEN that encoding is detected and the names are the original ones
    roster = _read(data)
    assert roster.encoding == encoding
    assert _names(roster) == NAMES


def test_cp1252_typographic_apostrophe_is_read() -> None:
    # GIVEN a cp1252 file whose apostrophe is ’ (0x92, a C1 code in ISO-8859-15)
    account = EntAccount(id="9", profile="student", last_name="D’ALMEIDA", first_name="Inès", login="ines.dalmeida")
    roster = _read(render_excel([account], encoding="cp1252"))
    # THEN it is cp1252
    assert roster.encoding == "cp1252"
    assert roster.people[0].last_name == "D’ALMEIDA"


def test_latin_text_without_telling_bytes_is_read_as_cp1252() -> None:
    # GIVEN accents only (same bytes in both Latin encodings) WHEN read THEN cp1252, Excel's default
    account = EntAccount(id="9", profile="student", last_name="LEFÈVRE", first_name="Zoé", login="zoe.lefevre")
    roster = _read(render_excel([account], encoding="iso-8859-15"))
    assert roster.encoding == "cp1252"
    assert roster.people[0].last_name == "LEFÈVRE"


def test_an_ascii_head_does_not_hide_an_eight_bit_tail() -> None:
    # GIVEN an English export (ASCII header) whose first accent comes after the first 64 KiB
    plain = [
        EntAccount(id=f"E{n}", profile="student", last_name="SMITH", first_name="John", login=f"john.smith{n}")
        for n in range(1500)
    ]
    data = render_excel([*plain, *ACCOUNTS], Generation.CURRENT, Language.ENGLISH, encoding="iso-8859-15")
    assert len(data) > 64 * 1024
    # WHEN read THEN the whole file is re-read in the right encoding
    roster = _read(data)
    assert roster.encoding == "iso-8859-15"
    assert _names(roster)[-4:] == NAMES


def test_utf16_unicode_text_from_excel() -> None:
    # GIVEN Excel's "Unicode text" save: UTF-16 with a BOM, tab separated
    data = render_excel(ACCOUNTS, encoding="utf-16", delimiter="\t")
    roster = _read(data)
    assert roster.encoding == "utf-16"
    assert _names(roster) == NAMES


def test_a_bom_wrongly_decoded_by_a_spreadsheet_is_ignored() -> None:
    # GIVEN a UTF-8 BOM kept in front of a cp1252 re-save (shows as "ï»¿" before "Id")
    data = b"\xef\xbb\xbf" + ent_text(ACCOUNTS).encode("cp1252")
    # WHEN read THEN the header is still found and the names are right
    roster = _read(data)
    assert roster.encoding == "cp1252"
    assert _names(roster) == NAMES


def test_typographic_apostrophes_without_accents_stay_cp1252() -> None:
    # GIVEN a cp1252 file whose only non-ASCII bytes are ’ (0x92), as in English names
    accounts = [
        EntAccount(id=str(n), profile="student", last_name="O’NEILL", first_name="Sean", login=f"sean.oneill{n}")
        for n in range(20)
    ]
    data = render_excel(accounts, Generation.CURRENT, Language.ENGLISH, encoding="cp1252")
    # WHEN read THEN it is not mistaken for Mac Roman
    roster = _read(data)
    assert roster.encoding == "cp1252"
    assert roster.people[0].last_name == "O’NEILL"


def test_mac_roman_is_recognised_from_a_single_e_acute() -> None:
    # GIVEN a Mac Roman file whose only accent is é (0x8E, Ž in cp1252)
    account = EntAccount(id="1", profile="student", last_name="PEREZ", first_name="Zoé", login="zoe.perez")
    roster = _read(render_excel([account], Generation.CURRENT, Language.ENGLISH, encoding="mac-roman"))
    assert roster.encoding == "mac-roman"
    assert roster.people[0].first_name == "Zoé"
