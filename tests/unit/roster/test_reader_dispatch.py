"""read_roster end to end on SIECLE and STS files: the content decides, never the file name."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from elea.errors import RosterRefused
from elea.models.roster import RosterFormat
from elea.roster import read_roster
from tests.fixtures.siecle_xml import (
    SAMPLE_DIR,
    SAMPLE_UAI,
    eleves_sans_adresses_xml,
    sample_students,
    zipped,
)


def test_the_committed_siecle_zip_is_read() -> None:
    # GIVEN the zip exactly as SIECLE delivers it WHEN it is read THEN its students come out
    roster = read_roster(SAMPLE_DIR / "ElevesSansAdresses.zip")
    assert roster.format is RosterFormat.SIECLE_ELEVES
    assert roster.uai == SAMPLE_UAI
    assert len(roster.people) == 22
    assert [issue.code for issue in roster.issues] == ["student_left", "student_left"]


def test_the_committed_sts_file_is_read() -> None:
    roster = read_roster(SAMPLE_DIR / f"sts_emp_{SAMPLE_UAI}_2026.xml")
    assert roster.format is RosterFormat.STS_EMP
    assert len(roster.people) == 4


@pytest.mark.parametrize("name", ["export(1).csv", "ElevesSansAdresses.xml", "sans_extension"])
def test_a_bare_siecle_xml_is_recognised_whatever_its_name(tmp_path: Path, name: str) -> None:
    # GIVEN the SIECLE XML saved under a misleading name
    path = tmp_path / name
    path.write_bytes(eleves_sans_adresses_xml(SAMPLE_UAI, sample_students(5)))
    # WHEN it is read THEN it is read as SIECLE
    assert read_roster(path).format is RosterFormat.SIECLE_ELEVES


def test_a_zipped_siecle_xml_is_recognised_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "export(1).csv"
    path.write_bytes(zipped(eleves_sans_adresses_xml(SAMPLE_UAI, sample_students(5))))
    assert read_roster(path).format is RosterFormat.SIECLE_ELEVES


def test_an_sts_file_renamed_is_still_sts(tmp_path: Path) -> None:
    path = tmp_path / "profs.xml"
    shutil.copy(SAMPLE_DIR / f"sts_emp_{SAMPLE_UAI}_2026.xml", path)
    assert read_roster(path).format is RosterFormat.STS_EMP


def test_a_file_over_the_configured_size_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "ElevesSansAdresses.zip"
    shutil.copy(SAMPLE_DIR / "ElevesSansAdresses.zip", path)
    with pytest.raises(RosterRefused) as refused:
        read_roster(path, max_bytes=100)
    assert refused.value.code == "file_too_large"


def test_a_refused_zip_names_the_uploaded_file(tmp_path: Path) -> None:
    path = tmp_path / "export(2).zip"
    path.write_bytes(zipped(b'"Id";"Type"\r\n', "export.csv"))
    with pytest.raises(RosterRefused) as refused:
        read_roster(path)
    assert refused.value.code == "zip_no_xml"
    assert refused.value.file == "export(2).zip"
    assert "export(2).zip" in refused.value.message


def test_a_refused_xml_names_the_uploaded_file(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<BEE_ELEVES>&a;</BEE_ELEVES>')
    with pytest.raises(RosterRefused) as refused:
        read_roster(path)
    assert (refused.value.code, refused.value.file, refused.value.line) == ("xml_forbidden_construct", "export.csv", 2)


@pytest.mark.parametrize("kind", ["folder", "missing"])
def test_a_path_that_cannot_be_read_is_refused_not_raised(tmp_path: Path, kind: str) -> None:
    # GIVEN a folder, or a file gone since it was listed (the same OSError path as no read permission)
    path = tmp_path / "export.csv"
    if kind == "folder":
        path.mkdir()
    # WHEN read THEN a French refusal, never an OSError
    with pytest.raises(RosterRefused) as refused:
        read_roster(path)
    assert refused.value.code == "file_unreadable"
    assert "export.csv" in refused.value.message


def _workbook(first_member: str) -> bytes:
    # An office file is a zip of many XML parts: more members than a SIECLE zip may hold.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(first_member, b"<x/>")
        for part in ("_rels/.rels", "xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml", "docProps/core"):
            if part != first_member:
                archive.writestr(part, b"<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("export.xlsx", _workbook("[Content_Types].xml")),  # Excel
        ("export.xlsx", _workbook("docProps/app.xml")),  # openpyxl, pandas
        ("export.ods", _workbook("mimetype")),  # LibreOffice
        ("export.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),  # Excel 97-2003
    ],
)
def test_a_spreadsheet_workbook_is_refused_as_such(tmp_path: Path, name: str, data: bytes) -> None:
    # GIVEN the export re-saved in a spreadsheet's own format
    path = tmp_path / name
    path.write_bytes(data)
    # WHEN read THEN refused as a workbook (not as a zip or as "not text"), saying to drop the CSV
    with pytest.raises(RosterRefused) as refused:
        read_roster(path)
    assert refused.value.code == "spreadsheet_file"
    assert "CSV" in (refused.value.hint or "")
