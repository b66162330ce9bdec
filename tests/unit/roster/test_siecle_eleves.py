"""SIECLE "Élèves sans adresses": divisions are classes, groups are not, leavers are left out."""

from __future__ import annotations

from datetime import date

import pytest

from elea.models.issue import Severity
from elea.models.person import Profile
from elea.models.roster import Roster, RosterFormat
from elea.roster.xml_exports import read_xml_export
from tests.fixtures.siecle_xml import SAMPLE_UAI, SiecleStudent, eleves_sans_adresses_xml

NAME = "ElevesSansAdresses.xml"


def student(eleve_id: str, division: str | None = "6A", **fields: object) -> SiecleStudent:
    values: dict[str, object] = {
        "last_name": "LEFÈVRE",
        "first_name": "Zoé",
        "birth_date": "05/03/2013",
        "division": division,
    }
    values.update(fields)
    return SiecleStudent(eleve_id=eleve_id, **values)  # type: ignore[arg-type]


def read(*students: SiecleStudent, uai: str = SAMPLE_UAI) -> Roster:
    return read_xml_export(eleves_sans_adresses_xml(uai, students), NAME)


def test_a_student_becomes_a_person_without_ent_login() -> None:
    # GIVEN one student in division 6A
    roster = read(student("4100"))
    # THEN the roster says where it came from, and the person has a stable SIECLE-prefixed id
    assert roster.format is RosterFormat.SIECLE_ELEVES
    assert roster.uai == SAMPLE_UAI
    assert roster.encoding == "iso-8859-15"
    [person] = roster.people
    assert person.id == "siecle:4100"
    assert person.siecle_id == "4100"
    assert person.login is None
    assert not person.has_ent_login
    assert person.profile is Profile.STUDENT
    assert person.birth_date == date(2013, 3, 5)
    assert person.line == 11
    assert roster.issues == []


def test_the_division_is_the_class_and_groups_are_not() -> None:
    # GIVEN students in divisions, two of them also in language groups
    roster = read(
        student("1", "6A", groups=("6LV2ESP",)),
        student("2", "5 B", groups=("5LV2ALL", "5LATIN")),
        student("3", "6A"),
    )
    # THEN only divisions are classes
    assert [person.classes for person in roster.people] == [("6A",), ("5 B",), ("6A",)]
    assert roster.classes == ["5 B", "6A"]


def test_a_student_with_a_date_sortie_is_left_out_with_a_warning() -> None:
    # GIVEN a student who left in January, between two who stay
    roster = read(student("1"), student("2", last_name="N'DIAYE", date_sortie="15/01/2026"), student("3"))
    # THEN the leaver is not a person, and the warning names no one
    assert [person.id for person in roster.people] == ["siecle:1", "siecle:3"]
    [warning] = roster.issues
    assert warning.code == "student_left"
    assert warning.severity is Severity.WARNING
    assert warning.line == 23
    assert "N'DIAYE" not in warning.message
    # AND the leaver's id is not kept as "present": the account must be suspendable
    assert warning.person_id is None


def test_a_class_with_only_leavers_is_not_a_class() -> None:
    roster = read(student("1", "6A"), student("2", "3C", date_sortie="01/10/2025"))
    assert roster.classes == ["6A"]


def test_accents_apostrophes_and_hyphens_survive_iso_8859_15() -> None:
    # GIVEN names using characters of ISO-8859-15 that ISO-8859-1 does not have (Œ)
    roster = read(student("1", last_name="BŒUF-D'ALMEIDA", first_name="Jean-Noël Maëlys"))
    [person] = roster.people
    assert (person.last_name, person.first_name) == ("BŒUF-D'ALMEIDA", "Jean-Noël Maëlys")
    assert roster.issues == []
    assert roster.encoding == "iso-8859-15"


def test_an_editor_resave_to_utf8_under_the_latin9_prolog_is_read_as_utf8_with_a_warning() -> None:
    # GIVEN the export re-saved as UTF-8 by an editor that kept <?xml ... encoding="ISO-8859-15"?>
    xml = eleves_sans_adresses_xml(SAMPLE_UAI, [student("1", last_name="BŒUF", first_name="Hélène")])
    resaved = xml.decode("iso-8859-15").encode("utf-8")
    # WHEN read
    roster = read_xml_export(resaved, NAME)
    # THEN the names are not garbled ("HÃ©lÃ¨ne"), and a warning on line 1 says what happened
    [person] = roster.people
    assert (person.last_name, person.first_name) == ("BŒUF", "Hélène")
    assert roster.encoding == "utf-8"
    [warning] = roster.issues
    assert (warning.line, warning.severity, warning.code) == (1, Severity.WARNING, "xml_encoding_mismatch")
    assert "Hélène" not in warning.message


def test_names_with_ampersand_and_markup_characters_are_read_back() -> None:
    roster = read(student("1", last_name="DURAND & <FILS>"))
    assert roster.people[0].last_name == "DURAND & <FILS>"


def test_structures_before_students_are_still_joined() -> None:
    # GIVEN a file where STRUCTURES come before ELEVES
    xml = eleves_sans_adresses_xml(SAMPLE_UAI, [student("7", "4D")]).decode("iso-8859-15")
    students_block = xml[xml.index("    <ELEVES>") : xml.index("    <OPTIONS/>")]
    structures_block = xml[xml.index("    <STRUCTURES>") : xml.index("  </DONNEES>")]
    reordered = xml.replace(students_block, "").replace(structures_block, structures_block + students_block)
    roster = read_xml_export(reordered.encode("iso-8859-15"), NAME)
    assert roster.people[0].classes == ("4D",)


def test_a_student_without_division_is_kept_with_a_warning() -> None:
    roster = read(student("1", None, groups=("6LV2ESP",)))
    [person] = roster.people
    assert person.classes == ()
    [warning] = roster.issues
    assert (warning.code, warning.severity, warning.person_id) == (
        "student_without_division",
        Severity.WARNING,
        "siecle:1",
    )


@pytest.mark.parametrize(("last_name", "first_name"), [("", "Zoé"), ("MARTIN", "")])
def test_a_student_without_a_name_is_a_row_error_that_keeps_the_id(last_name: str, first_name: str) -> None:
    roster = read(student("1", last_name=last_name, first_name=first_name), student("2"))
    assert [person.id for person in roster.people] == ["siecle:2"]
    [error] = roster.issues
    assert (error.code, error.severity, error.line, error.person_id) == ("missing_name", Severity.ERROR, 11, "siecle:1")


def test_a_student_without_eleve_id_is_a_row_error() -> None:
    roster = read(student(""), student("2"))
    assert [person.id for person in roster.people] == ["siecle:2"]
    assert [issue.code for issue in roster.issues] == ["missing_id"]


def test_a_repeated_eleve_id_is_an_error_on_the_second_line() -> None:
    roster = read(student("1"), student("1", first_name="Inès"))
    assert [person.first_name for person in roster.people] == ["Zoé"]
    [error] = roster.issues
    assert (error.code, error.line) == ("duplicate_id", 23)


def test_an_unreadable_birth_date_is_a_warning_and_the_student_is_kept() -> None:
    roster = read(student("1", birth_date="31/02/2013"))
    assert roster.people[0].birth_date is None
    assert [issue.code for issue in roster.issues] == ["invalid_birth_date"]


def test_an_old_export_with_nom_instead_of_nom_de_famille_is_read() -> None:
    xml = eleves_sans_adresses_xml(SAMPLE_UAI, [student("1", last_name="GARÇON")])
    old = xml.replace(b"NOM_DE_FAMILLE>", b"NOM>")
    assert read_xml_export(old, NAME).people[0].last_name == "GARÇON"


def test_a_utf8_export_is_read_and_its_encoding_reported() -> None:
    xml = eleves_sans_adresses_xml(SAMPLE_UAI, [student("1", first_name="Anaïs")], encoding="UTF-8")
    roster = read_xml_export(xml, NAME)
    assert roster.encoding == "utf-8"
    assert roster.people[0].first_name == "Anaïs"


def test_the_uai_is_normalised() -> None:
    assert read(student("1"), uai=SAMPLE_UAI.lower()).uai == SAMPLE_UAI


def test_a_utf16_export_with_bom_is_read() -> None:
    # GIVEN an export re-saved as UTF-16 by a text editor (the prolog then lies about its encoding)
    text = eleves_sans_adresses_xml(SAMPLE_UAI, [student("1", first_name="Anaïs")], encoding="UTF-16").decode("utf-16")
    roster = read_xml_export(text.encode("utf-16"), NAME)
    assert roster.encoding == "utf-16"
    assert roster.people[0].first_name == "Anaïs"
