"""The department a UAI names: read from its first three digits, never guessed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elea.domain.uai import uai_check_letter
from elea.domain.uai_department import department_of_uai
from elea.establishments.establishment import new_establishment


def uai(first_seven: str) -> str:
    return first_seven + uai_check_letter(first_seven)


@pytest.mark.parametrize(
    ("first_seven", "department"),
    [
        ("0771234", "77"),
        ("0750654", "75"),
        ("0011234", "01"),
        ("0951234", "95"),
        ("6201234", "2A"),
        ("7201234", "2B"),
        ("9711234", "971"),
        ("9741234", "974"),
        ("9761234", "976"),
    ],
)
def test_the_department_is_read_from_the_uai(first_seven: str, department: str) -> None:
    # GIVEN a valid UAI WHEN its department is read THEN it is the registry's spelling
    assert department_of_uai(uai(first_seven)) == department


@pytest.mark.parametrize("first_seven", ["0001234", "0201234", "0961234", "1231234", "9771234", "9881234"])
def test_a_prefix_that_is_no_department_gives_none_not_a_guess(first_seven: str) -> None:
    assert department_of_uai(uai(first_seven)) is None


def test_an_invalid_uai_has_no_department() -> None:
    assert department_of_uai("0771234A") is None  # wrong check letter
    assert department_of_uai("077") is None


@given(st.integers(min_value=0, max_value=9_999_999))
def test_every_department_read_is_one_the_registry_accepts(number: int) -> None:
    # GIVEN any valid UAI WHEN a department is read from it THEN the registry accepts it as is
    code = uai(f"{number:07d}")
    department = department_of_uai(code)
    if department is not None:
        assert new_establishment(uai=code, name="Collège", department=department, basin="1").department == department
