"""What row issues cost is bounded: past the configured number of errors a file is refused as « trop
d'erreurs », saying how many, and warnings past the same bound are summed up in one."""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elea.errors import RosterRefused
from elea.models.issue import Severity
from elea.roster.ent_csv import read_ent_csv
from elea.roster.xml_exports import read_xml_export
from tests.fixtures.ent_export import EntAccount, ent_text, render_ent
from tests.fixtures.siecle_xml import SAMPLE_UAI, SiecleStudent, eleves_sans_adresses_xml

GOOD = EntAccount(id="1", profile="student", last_name="Martin", first_name="Léa", login="lea.martin")


@settings(max_examples=15, deadline=None)
@given(limit=st.integers(min_value=1, max_value=40), errors=st.integers(min_value=0, max_value=80))
def test_past_the_limit_the_file_is_refused_and_says_how_many(limit: int, errors: int) -> None:
    # GIVEN one good row then `errors` lines of bare separators
    header = ent_text([GOOD]).splitlines(keepends=True)
    data = ("\ufeff" + "".join(header) + (";" * header[0].count(";") + "\n") * errors).encode()
    if errors <= limit:
        # THEN up to the limit every error is a detailed row issue
        roster = read_ent_csv(io.BytesIO(data), "export.csv", max_errors=limit)
        assert [p.id for p in roster.people] == ["1"]
        assert len(roster.issues) == errors
        return
    # AND past it the file is refused, the message giving the count, with a stable code
    with pytest.raises(RosterRefused) as refused:
        read_ent_csv(io.BytesIO(data), "export.csv", max_errors=limit)
    assert refused.value.code == "too_many_errors"
    assert f"{errors} lignes" in refused.value.message
    assert "trop d'erreurs" in refused.value.message


def test_warnings_past_the_limit_are_summed_up_in_one() -> None:
    # GIVEN 30 double-encoded rows with a limit of 10
    people = [
        EntAccount(
            id=f"{i}", profile="student", last_name="Hélène".encode().decode("cp1252"), first_name="A", login=f"l{i}"
        )
        for i in range(30)
    ]
    roster = read_ent_csv(io.BytesIO(render_ent(people)), "export.csv", max_errors=10)
    # THEN all are read, 10 warnings are detailed and one says how many more there were
    assert len(roster.people) == 30
    assert [i.code for i in roster.issues] == ["double_encoding_repaired"] * 10 + ["warnings_not_detailed"]
    assert roster.issues[-1].severity is Severity.WARNING
    assert "20 autres" in roster.issues[-1].message


def test_siecle_errors_are_capped_too() -> None:
    students = [SiecleStudent(eleve_id="", last_name="X", first_name="Y", birth_date="01/01/2012", division="6A")] * 5
    with pytest.raises(RosterRefused) as refused:
        read_xml_export(eleves_sans_adresses_xml(SAMPLE_UAI, students), "ElevesSansAdresses.xml", max_errors=3)
    assert refused.value.code == "too_many_errors"


def test_siecle_fields_are_held_to_the_platform_limits_and_nfc() -> None:
    students = [
        SiecleStudent(eleve_id="1", last_name="N" * 101, first_name="Y", birth_date="01/01/2012", division="6A"),
        SiecleStudent(
            eleve_id="2",
            last_name=unicodedata.normalize("NFD", "LEFÈVRE"),
            first_name="Zoé",
            birth_date="01/01/2012",
            division="6A",
        ),
        SiecleStudent(eleve_id="3", last_name="A", first_name="B", birth_date="01/01/2012", division="6\u200bA"),
    ]
    data = eleves_sans_adresses_xml(SAMPLE_UAI, students, encoding="utf-8")
    roster = read_xml_export(data, "ElevesSansAdresses.xml")
    assert [p.id for p in roster.people] == ["siecle:2"]
    assert roster.people[0].last_name == "LEFÈVRE"
    assert sorted((i.code, i.person_id) for i in roster.issues) == [
        ("field_too_long", "siecle:1"),
        ("hidden_character", "siecle:3"),
    ]
