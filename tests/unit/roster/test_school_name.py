"""An ENT export naming no UAI is compared with the registered school by its name, for a warning only."""

from __future__ import annotations

import pytest

from elea.models.issue import Severity
from elea.roster.school_name import (
    SCHOOL_NAME_MISMATCH,
    SCHOOL_NOT_NAMED,
    main_structure,
    school_name_warning,
    significant_words,
)

UAI = "0771234Y"


def test_significant_words_set_aside_accents_case_punctuation_generic_words_and_uais() -> None:
    assert significant_words("Collège Jean-Moulin (0771234Y)") == {"jean", "moulin"}
    assert significant_words("CITE SCOLAIRE JEAN MOULIN") == {"jean", "moulin"}
    assert significant_words("Établissement 0771234Y") == frozenset()


def test_the_main_structure_is_the_one_most_people_name() -> None:
    names = {"CITE SCOLAIRE JEAN MOULIN": 500, "CITE SCOLAIRE JEAN MOULIN, LYCEE PASTEUR": 3, "LYCEE PASTEUR": 10}
    assert main_structure(names) == "CITE SCOLAIRE JEAN MOULIN"
    assert main_structure({}) is None


@pytest.mark.parametrize(
    "registered",
    ["Collège Jean Moulin", "CLG JEAN MOULIN", "Cité scolaire Jean-Moulin", None, "Établissement 0771234Y"],
)
def test_the_same_school_written_another_way_or_an_unknown_name_gives_no_warning(registered: str | None) -> None:
    assert school_name_warning({"CITE SCOLAIRE JEAN MOULIN": 40}, registered, UAI, "export.csv") is None


def test_a_clearly_different_name_is_a_warning_naming_both() -> None:
    warning = school_name_warning({"LYCEE PASTEUR": 40}, "Collège Jean Moulin", UAI, "export.csv")
    assert warning is not None
    assert (warning.code, warning.severity, warning.line) == (SCHOOL_NAME_MISMATCH, Severity.WARNING, None)
    assert "LYCEE PASTEUR" in warning.message
    assert "Collège Jean Moulin" in warning.message
    assert "aucun compte n'a été suspendu" in warning.message


def test_a_file_naming_no_school_at_all_is_a_warning() -> None:
    warning = school_name_warning({}, "Collège Jean Moulin", UAI, "export.csv")
    assert warning is not None
    assert warning.code == SCHOOL_NOT_NAMED
    assert "Établissements" in warning.message


def test_a_cite_scolaire_whose_second_structure_carries_the_registered_name_gives_no_warning() -> None:
    names = {"LYCEE VICTOR HUGO": 600, "COLLEGE JEAN MOULIN": 300, "LYCEE VICTOR HUGO, COLLEGE JEAN MOULIN": 20}
    assert school_name_warning(names, "Collège Jean Moulin", UAI, "export.csv") is None
    # but a structure only a handful of people name is not enough
    few = {"LYCEE VICTOR HUGO": 600, "COLLEGE JEAN MOULIN": 5}
    assert school_name_warning(few, "Collège Jean Moulin", UAI, "export.csv") is not None
