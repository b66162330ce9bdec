from __future__ import annotations

import pytest

from elea.establishments.csv_file import MAX_FILE_BYTES, read_establishments_csv
from elea.establishments.errors import EstablishmentFileRefused
from elea.models.issue import Severity

GOOD = "uai;nom;departement;bassin\n0771234Y;Collège Jean Moulin;77;3\n0930001W;Lycée Évariste Galois;93;1\n"


def _read(text: str | bytes, encoding: str = "utf-8"):  # type: ignore[no-untyped-def]
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return read_establishments_csv(data, file_name="etablissements.csv")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (GOOD.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + GOOD.encode("utf-8"), "utf-8-sig"),
        (GOOD.replace("\n", "\r\n").encode("cp1252"), "cp1252"),
    ],
)
def test_utf8_bom_and_excel_cp1252_files_read_the_same(data: bytes, encoding: str) -> None:
    result = _read(data)
    assert result.encoding == encoding
    assert not result.issues
    assert [(r.line, r.establishment.uai, r.establishment.name) for r in result.rows] == [
        (2, "0771234Y", "Collège Jean Moulin"),
        (3, "0930001W", "Lycée Évariste Galois"),
    ]


def test_comma_separator_quoted_cells_and_french_headers_in_any_order() -> None:
    text = 'Bassin,Département,"Nom de l\'établissement",RNE\n3,77,"Collège Jean Moulin, Torcy",0771234y\n'
    text = text.replace("Nom de l'établissement", "Nom")
    result = _read(text)
    assert result.delimiter == ","
    [row] = result.rows
    assert (row.establishment.uai, row.establishment.name, row.establishment.basin) == (
        "0771234Y",
        "Collège Jean Moulin, Torcy",
        "3",
    )


def test_each_bad_line_is_reported_with_its_number_and_code_and_the_others_are_kept() -> None:
    text = (
        "uai;nom;departement;bassin\n"
        "0771234Y;Collège Jean Moulin;77;3\n"
        "\n"
        "0771234A;Mauvaise lettre;77;3\n"
        "0930001W;;93;1\n"
        "0750001U;Lycée;7X;1\n"
        "0941234F;Collège;94\n"
        "0771234Y;Collège Jean Moulin;77;3\n"
        "0771234Y;Autre nom;77;3\n"
    )
    result = _read(text)
    assert [r.line for r in result.rows] == [2]
    assert [(i.line, i.code, i.severity) for i in result.issues] == [
        (4, "invalid_uai", Severity.ERROR),
        (5, "invalid_establishment_name", Severity.ERROR),
        (6, "invalid_department", Severity.ERROR),
        (7, "establishment_row_incomplete", Severity.ERROR),
        (8, "duplicate_establishment", Severity.WARNING),
        (9, "conflicting_duplicate_establishment", Severity.ERROR),
    ]
    assert "ligne 2" in result.issues[-1].message


def test_a_quoted_cell_on_two_lines_does_not_shift_the_following_line_numbers() -> None:
    text = 'uai;nom;departement;bassin\n0771234Y;"Collège\nJean Moulin";77;3\n0930001W;Lycée;93;X\n'
    result = _read(text)
    assert result.rows[0].establishment.name == "Collège Jean Moulin"
    assert [(i.line, i.code) for i in result.issues] == [(4, "invalid_basin")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "establishments_file_empty"),
        (b"\xef\xbb\xbf \r\n\r\n", "establishments_file_empty"),
        (b"PK\x03\x04\x00\x00binary", "establishments_file_not_text"),
        (b"\x81\x8d\x8f\x90", "establishments_file_not_text"),
        ("Id;Nom;Prénom\n1;Martin;Léa\n".encode(), "establishments_header_missing"),
        (b"x" * (MAX_FILE_BYTES + 1), "establishments_file_too_large"),
    ],
)
def test_a_refused_file_gets_a_french_message_and_a_stable_code(data: bytes, code: str) -> None:
    with pytest.raises(EstablishmentFileRefused) as caught:
        _read(data)
    assert caught.value.code == code
    assert "etablissements.csv" in caught.value.message
    assert caught.value.hint
