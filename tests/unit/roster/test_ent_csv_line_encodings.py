"""Encodings at the level of the line: a UTF-8 export with a few lines in cp1252, or one stray byte
anywhere (past the 64 KB sniffing window too), keeps every other line in UTF-8; double-encoded UTF-8
(« HÃ©lÃ¨ne ») is repaired; each such line gets a warning naming it."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from elea.models.issue import Severity
from elea.models.roster import Roster
from elea.roster.ent.encoding import HEAD_BYTES
from elea.roster.ent_csv import read_ent_csv
from tests.fixtures.ent_export import EntAccount, ent_text

_FRENCH = st.text(alphabet=st.sampled_from("abcdeéèêëàâîïôùûüçÉÈÀÇ"), min_size=2, max_size=12).filter(
    lambda name: not name.isascii()
)


def _read(data: bytes) -> Roster:
    return read_ent_csv(io.BytesIO(data), "export.csv")


def _people(names: list[str]) -> list[EntAccount]:
    return [
        EntAccount(id=f"{index}", profile="student", last_name=name, first_name="Zoé", login=f"login{index}")
        for index, name in enumerate(names)
    ]


def _lines(accounts: list[EntAccount]) -> list[str]:
    return ent_text(accounts).splitlines(keepends=True)


@settings(max_examples=40, deadline=None)
@given(names=st.lists(_FRENCH, min_size=2, max_size=15), data=st.data())
def test_a_few_cp1252_lines_are_read_as_cp1252_and_the_rest_stays_utf8(names: list[str], data: st.DataObject) -> None:
    # GIVEN a UTF-8 export where some rows (not all) were pasted from a cp1252 tool
    lines = _lines(_people(names))
    rows = range(1, len(lines))
    cp1252_rows = data.draw(st.sets(st.sampled_from(rows), min_size=1, max_size=len(rows) - 1))
    body = b"".join(line.encode("cp1252" if index in cp1252_rows else "utf-8") for index, line in enumerate(lines))
    # WHEN read
    roster = _read(b"\xef\xbb\xbf" + body)
    # THEN every name is right, whatever the line's encoding
    assert [p.last_name for p in roster.people] == names
    # AND each cp1252 line, and only those, has a warning naming it
    warnings = [(i.line, i.code, i.severity) for i in roster.issues]
    assert warnings == [(row + 1, "line_encoding_cp1252", Severity.WARNING) for row in sorted(cp1252_rows)]


def test_one_stray_byte_past_the_sniffing_window_garbles_only_its_line() -> None:
    # GIVEN a UTF-8 export larger than the 64 KB the encoding is sniffed from, one byte invalid far on
    names = [f"Hélène{index}" for index in range(2000)]
    lines = [line.encode("utf-8") for line in _lines(_people(names))]
    assert sum(map(len, lines[:1500])) > HEAD_BYTES
    lines[1500] = lines[1500].replace("Zoé".encode(), b"Zo\xe9")  # a cp1252 é in one line
    # WHEN read
    roster = _read(b"".join(lines))
    # THEN all 2,000 names are intact, the stray line decoded as cp1252, with one warning on line 1501
    assert [p.last_name for p in roster.people] == names
    assert {p.first_name for p in roster.people} == {"Zoé"}
    assert [(i.line, i.code) for i in roster.issues] == [(1501, "line_encoding_cp1252")]
    assert roster.encoding == "utf-8"


def test_a_stray_byte_in_the_head_does_not_turn_the_whole_file_into_cp1252() -> None:
    lines = [line.encode("utf-8") for line in _lines(_people(["Hélène", "Jérôme", "Noël"]))]
    lines[1] = lines[1].replace("Hélène".encode(), b"H\xe9l\xe8ne")
    roster = _read(b"".join(lines))
    assert [p.last_name for p in roster.people] == ["Hélène", "Jérôme", "Noël"]
    assert [(i.line, i.code) for i in roster.issues] == [(2, "line_encoding_cp1252")]


@settings(max_examples=40, deadline=None)
@given(names=st.lists(_FRENCH, min_size=1, max_size=10), data=st.data())
def test_double_encoded_utf8_is_repaired_with_a_warning(names: list[str], data: st.DataObject) -> None:
    # GIVEN names that went through UTF-8 → read as cp1252 → saved as UTF-8 (« HÃ©lÃ¨ne »), on some lines
    broken = data.draw(st.sets(st.sampled_from(range(len(names))), min_size=1))
    shown = [name.encode("utf-8").decode("cp1252") if index in broken else name for index, name in enumerate(names)]
    roster = _read(ent_text(_people(shown)).encode("utf-8"))
    # THEN the names are repaired, each repaired line has a warning, and nothing else does
    assert [p.last_name for p in roster.people] == names
    assert [(i.line, i.code) for i in roster.issues] == [
        (index + 2, "double_encoding_repaired") for index in sorted(broken)
    ]


def test_a_cp1252_file_is_still_read_whole_in_cp1252_without_line_warnings() -> None:
    roster = _read(ent_text(_people(["Hélène", "Jérôme"])).encode("cp1252"))
    assert roster.encoding == "cp1252"
    assert [p.last_name for p in roster.people] == ["Hélène", "Jérôme"]
    assert roster.issues == []
