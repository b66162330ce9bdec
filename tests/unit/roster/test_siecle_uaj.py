"""A SIECLE or STS-web file names exactly one school, in every UAJ it holds, or it is refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elea.errors import RosterRefused, UaiMismatch
from elea.roster.uai_check import ensure_roster_matches_uai
from elea.roster.xml_exports import read_xml_export
from tests.fixtures.siecle_xml import (
    SAMPLE_UAI,
    SiecleStudent,
    eleves_sans_adresses_xml,
    sample_divisions,
    sample_staff,
    sts_emp_xml,
)

OTHER = "0750654D"
STUDENT = SiecleStudent(eleve_id="4100", last_name="LEFÈVRE", first_name="Zoé", birth_date="05/03/2013", division="6A")
_PARAMETRES_UAJ = f"    <UAJ>{SAMPLE_UAI}</UAJ>"
_STS_UAJ = f'    <UAJ CODE="{SAMPLE_UAI}"/>'


def siecle(*, parametres: str = _PARAMETRES_UAJ, in_student: str = "", in_data: str = "") -> bytes:
    """ElevesSansAdresses with the PARAMETRES UAJ replaced, and UAJ elements added deeper down."""
    text = eleves_sans_adresses_xml(SAMPLE_UAI, [STUDENT]).decode("iso-8859-15")
    text = text.replace(_PARAMETRES_UAJ, parametres)
    text = text.replace("      </ELEVE>", f"{in_student}      </ELEVE>")
    text = text.replace("  </DONNEES>", f"{in_data}  </DONNEES>")
    return text.encode("iso-8859-15")


def sts(*, parametres: str = _STS_UAJ, in_data: str = "") -> bytes:
    text = sts_emp_xml(SAMPLE_UAI, sample_staff(), sample_divisions()).decode("iso-8859-15")
    text = text.replace(_STS_UAJ, parametres).replace("  </DONNEES>", f"{in_data}  </DONNEES>")
    return text.encode("iso-8859-15")


def refusal(data: bytes, name: str = "ElevesSansAdresses.xml") -> str:
    with pytest.raises(RosterRefused) as refused:
        ensure_roster_matches_uai(read_xml_export(data, name), SAMPLE_UAI, name)
    assert refused.value.message
    assert refused.value.hint
    assert "LEFÈVRE" not in refused.value.message
    return refused.value.code


def test_a_siecle_file_without_uaj_is_refused() -> None:
    assert refusal(siecle(parametres="")) == "uai_missing_in_file"


def test_an_sts_file_without_uaj_is_refused() -> None:
    assert refusal(sts(parametres=""), "sts_emp.xml") == "uai_missing_in_file"


def test_an_empty_uaj_is_refused_as_invalid() -> None:
    assert refusal(siecle(parametres="    <UAJ/>")) == "invalid_uai_in_file"


def test_a_second_uaj_naming_another_school_anywhere_is_refused() -> None:
    # GIVEN this school in PARAMETRES and another school's UAJ inside a student, or under DONNEES
    assert refusal(siecle(in_student=f"        <UAJ>{OTHER}</UAJ>\n")) == "uai_ambiguous_in_file"
    assert refusal(siecle(in_data=f'    <UAJ CODE="{OTHER}"/>\n')) == "uai_ambiguous_in_file"
    assert refusal(sts(in_data=f'    <UAJ CODE="{OTHER}"/>\n'), "sts_emp.xml") == "uai_ambiguous_in_file"


def test_another_schools_uaj_outside_parametres_is_refused_as_another_schools_file() -> None:
    # GIVEN no PARAMETRES UAJ, and another school's UAJ deeper down THEN it is that school's file
    data = siecle(parametres="", in_data=f"    <UAJ>{OTHER}</UAJ>\n")
    with pytest.raises(UaiMismatch):
        ensure_roster_matches_uai(read_xml_export(data, "x.xml"), SAMPLE_UAI, "x.xml")


def test_the_same_uaj_repeated_names_one_school() -> None:
    roster = read_xml_export(siecle(in_data=f"    <UAJ>{SAMPLE_UAI.lower()}</UAJ>\n"), "x.xml")
    assert ensure_roster_matches_uai(roster, SAMPLE_UAI, "x.xml").uai == SAMPLE_UAI


def test_the_export_timestamp_dates_the_content() -> None:
    assert read_xml_export(siecle(), "x.xml").content_date == date(2025, 9, 2)
    assert read_xml_export(sts(), "sts.xml").content_date == date(2026, 9, 2)


_UAJ_VALUES = st.sampled_from([SAMPLE_UAI, SAMPLE_UAI.lower(), OTHER])
_UAJ_FORMS = st.sampled_from(["text", "code"])
_PLACES = st.sampled_from(["parametres", "student", "data"])


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(_UAJ_VALUES, _UAJ_FORMS, _PLACES), max_size=5))
def test_any_number_and_placement_of_uaj_passes_only_when_all_name_this_school(
    uajs: list[tuple[str, str, str]],
) -> None:
    # GIVEN any number of UAJ elements, as text or CODE, in PARAMETRES, in a student or under DONNEES
    places: dict[str, str] = {"parametres": "", "student": "", "data": ""}
    for value, form, place in uajs:
        element = f"<UAJ>{value}</UAJ>" if form == "text" else f'<UAJ CODE="{value}"/>'
        places[place] += f"    {element}\n"
    data = siecle(parametres=places["parametres"], in_student=places["student"], in_data=places["data"])
    named = {value.upper() for value, _, _ in uajs}
    # WHEN read and checked for this school
    # THEN refused, with the right code, whenever the file does not name exactly this school
    if named == {SAMPLE_UAI}:
        assert ensure_roster_matches_uai(read_xml_export(data, "x.xml"), SAMPLE_UAI, "x.xml").people
    elif named == {OTHER}:
        with pytest.raises(UaiMismatch):
            ensure_roster_matches_uai(read_xml_export(data, "x.xml"), SAMPLE_UAI, "x.xml")
    else:
        code = "uai_missing_in_file" if not named else "uai_ambiguous_in_file"
        with pytest.raises(RosterRefused, match=code):
            ensure_roster_matches_uai(read_xml_export(data, "x.xml"), SAMPLE_UAI, "x.xml")
