"""A file that names another school is refused before it can touch that school's accounts."""

from __future__ import annotations

import pytest

from elea.errors import InvalidUai, RosterRefused, UaiMismatch
from elea.models.person import Person, Profile
from elea.models.roster import Roster, RosterFormat
from elea.roster.uai_check import ensure_roster_matches_uai

OUR_SCHOOL = "0771234Y"
OTHER_SCHOOL = "0750654D"


def roster_for(uai: str | None, roster_format: RosterFormat = RosterFormat.SIECLE_ELEVES) -> Roster:
    child = Person(id="siecle:1", login=None, last_name="LEFÈVRE", first_name="Zoé", profile=Profile.STUDENT)
    return Roster(format=roster_format, encoding="iso-8859-15", uai=uai, people=[child], classes=[], issues=[])


def test_a_roster_of_the_expected_school_passes() -> None:
    ensure_roster_matches_uai(roster_for(OUR_SCHOOL), OUR_SCHOOL.lower(), "ElevesSansAdresses.zip")


def test_an_ent_roster_naming_no_uai_passes_unchanged() -> None:
    # GIVEN an ENT CSV whose structures name no UAI WHEN checked THEN nothing can be compared: it passes as it is
    roster = roster_for(None, RosterFormat.ENT_CSV)
    assert ensure_roster_matches_uai(roster, OUR_SCHOOL, "export.csv") == roster


def test_a_siecle_roster_without_uai_is_refused() -> None:
    # GIVEN a SIECLE roster that somehow carries no UAI WHEN checked THEN it is refused: fail closed
    with pytest.raises(RosterRefused) as refused:
        ensure_roster_matches_uai(roster_for(None), OUR_SCHOOL, "ElevesSansAdresses.zip")
    assert refused.value.code == "uai_missing_in_file"


def test_a_roster_of_another_school_is_refused_without_personal_data() -> None:
    # GIVEN another school's export dropped in our folder
    with pytest.raises(UaiMismatch) as refused:
        ensure_roster_matches_uai(roster_for(OTHER_SCHOOL), OUR_SCHOOL, "ElevesSansAdresses.zip")
    # THEN it is refused in French, with a stable code, naming the file and both schools but no one in it
    error = refused.value
    assert error.code == "uai_mismatch"
    assert "ElevesSansAdresses.zip" in error.message
    assert "autre établissement" in error.message
    assert OTHER_SCHOOL in error.message
    assert OUR_SCHOOL in error.message
    assert "LEFÈVRE" not in error.message
    assert "Zoé" not in error.message
    assert error.hint


def test_an_invalid_expected_uai_is_refused() -> None:
    with pytest.raises(InvalidUai):
        ensure_roster_matches_uai(roster_for(OUR_SCHOOL), "0771234A", "ElevesSansAdresses.zip")
