"""Whole-file refusals of the CSV reader: a French message, a stable code, the file and line."""

from __future__ import annotations

import io

import pytest

from elea.errors import RosterRefused
from elea.roster.ent_csv import read_ent_csv
from tests.fixtures.ent_export import EntAccount, render_ent

NAME = "export(1).csv"


def _refusal(data: bytes) -> RosterRefused:
    with pytest.raises(RosterRefused) as refused:
        read_ent_csv(io.BytesIO(data), NAME)
    assert refused.value.file == NAME
    assert NAME in refused.value.message
    assert refused.value.hint
    return refused.value


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n \n\t\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    # GIVEN nothing, a lone BOM, or blank lines WHEN read THEN refused as empty
    refusal = _refusal(data)
    assert refusal.code == "empty_file"
    assert "vide" in refusal.message


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",  # a picture
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200),  # an old .xls workbook
        "Id;Type\n1;Élève\n".encode("utf-16-le"),  # UTF-16 without its BOM
        bytes(range(1, 32)) * 20,  # control codes
    ],
)
def test_a_file_that_is_not_text_is_refused(data: bytes) -> None:
    refusal = _refusal(data)
    assert refusal.code == "not_text"
    assert "texte" in refusal.message


def test_a_file_without_a_recognisable_header_is_refused_on_its_line() -> None:
    # GIVEN a CSV of something else (its first line after a blank one is not an ENT header)
    refusal = _refusal(b"\nDate;Montant;Libell\xc3\xa9\n2024-01-01;12;Cantine\n")
    # WHEN read THEN refused, naming the line and the columns it lacks
    assert refusal.code == "no_header"
    assert refusal.line == 2
    assert "ligne 2" in refusal.message
    assert "« Id »" in refusal.message
    assert "Export classique" in (refusal.hint or "")


def test_a_file_that_is_one_huge_line_is_refused_without_reading_it_all() -> None:
    # GIVEN 5 MB of text without a single line end (no header can be that long)
    data = b"a" * (5 * 1024 * 1024)
    # WHEN read THEN it is refused as having no header, on line 1
    with pytest.raises(RosterRefused) as refused:
        read_ent_csv(io.BytesIO(data), "export.csv")
    assert (refused.value.code, refused.value.line) == ("no_header", 1)
    assert "trop longue" in refused.value.message


def test_a_header_without_any_row_is_refused() -> None:
    # GIVEN an export filtered down to nobody
    refusal = _refusal(render_ent([]))
    assert refusal.code == "no_rows"
    assert refusal.line == 1


def test_a_refusal_carries_no_personal_data() -> None:
    # GIVEN a file whose first line is a person, not a header
    account = EntAccount(id="1", profile="student", last_name="DURAND", first_name="Zoé", login="zoe.durand")
    data = render_ent([account]).split(b"\n", 1)[1]
    refusal = _refusal(data)
    assert refusal.code == "no_header"
    assert "DURAND" not in str(refusal.to_dict())
    assert "zoe" not in str(refusal.to_dict())
