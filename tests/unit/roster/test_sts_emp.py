"""STS-web sts_emp: teachers (FONCTION ENS) with the divisions they teach."""

from __future__ import annotations

from datetime import date

from elea.models.person import Profile
from elea.models.roster import Roster, RosterFormat
from elea.roster.xml_exports import read_xml_export
from tests.fixtures.siecle_xml import (
    SAMPLE_UAI,
    StsDivision,
    StsIndividual,
    sample_divisions,
    sample_staff,
    sts_emp_xml,
)

NAME = f"sts_emp_{SAMPLE_UAI}_2026.xml"


def read_sample() -> Roster:
    return read_xml_export(sts_emp_xml(SAMPLE_UAI, sample_staff(), sample_divisions()), NAME)


def test_only_teachers_are_read_with_their_divisions() -> None:
    # GIVEN four teachers, a head teacher (DIR) and a CPE (EDU)
    roster = read_sample()
    # THEN the four teachers are the people, each with the divisions of their services
    assert roster.format is RosterFormat.STS_EMP
    assert roster.uai == SAMPLE_UAI
    assert roster.encoding == "iso-8859-15"
    assert {person.id: person.classes for person in roster.people} == {
        "sts:8901": ("6A", "6B"),
        "sts:8902": ("5 B", "6A"),
        "sts:8903": ("5 B", "6B"),
        "sts:8904": (),  # teaches a group only: groups are not classes
    }
    assert roster.classes == ["5 B", "6A", "6B"]
    assert roster.issues == []


def test_a_teacher_is_a_person_without_ent_login() -> None:
    xml = sts_emp_xml(SAMPLE_UAI, sample_staff(), sample_divisions())
    teacher = read_xml_export(xml, NAME).people[1]
    assert teacher.profile is Profile.TEACHER
    assert teacher.login is None
    assert (teacher.last_name, teacher.first_name) == ("N'GUYEN", "François")
    assert teacher.birth_date == date(1980, 1, 2)
    # The line is the INDIVIDU's own line in the file.
    assert teacher.line == xml[: xml.index(b'<INDIVIDU ID="8902"')].count(b"\n") + 1


def test_a_teacher_without_nom_usage_falls_back_to_the_birth_name() -> None:
    xml = sts_emp_xml(SAMPLE_UAI, [StsIndividual("1", "HØEG", "Ève")], [])
    without_usage = xml.replace("<NOM_USAGE>HØEG</NOM_USAGE>".encode("iso-8859-15"), b"<NOM_USAGE/>")
    assert read_xml_export(without_usage, NAME).people[0].last_name == "HØEG"


def test_a_service_link_to_someone_who_is_not_a_teacher_adds_no_one() -> None:
    staff = [StsIndividual("1", "MARTIN", "Paul", function="DOC")]
    roster = read_xml_export(sts_emp_xml(SAMPLE_UAI, staff, [StsDivision("3A", {"020700": ("1", "99")})]), NAME)
    assert roster.people == []
    assert roster.classes == []


def test_a_repeated_teacher_id_is_an_error() -> None:
    staff = [StsIndividual("1", "MARTIN", "Paul"), StsIndividual("1", "MARTIN", "Paula")]
    roster = read_xml_export(sts_emp_xml(SAMPLE_UAI, staff, []), NAME)
    assert [person.first_name for person in roster.people] == ["Paul"]
    assert [(issue.code, issue.person_id) for issue in roster.issues] == [("duplicate_id", "sts:1")]


def test_a_teacher_without_first_name_is_a_row_error() -> None:
    roster = read_xml_export(sts_emp_xml(SAMPLE_UAI, [StsIndividual("1", "MARTIN", "")], []), NAME)
    assert roster.people == []
    assert [issue.code for issue in roster.issues] == ["missing_name"]
    assert "MARTIN" not in roster.issues[0].message
