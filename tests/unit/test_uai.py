import pytest

from elea.domain.uai import is_valid_uai, uai_check_letter, validate_uai
from elea.errors import InvalidUai


def test_check_letter_follows_the_mod_23_rule() -> None:
    # GIVEN the first seven characters of a real UAI WHEN the letter is computed THEN it matches
    assert uai_check_letter("0750654") == "D"


@pytest.mark.parametrize("value", ["0750654D", " 0750654d "])
def test_valid_uai_is_normalised(value: str) -> None:
    assert validate_uai(value) == "0750654D"


@pytest.mark.parametrize("value", ["", "075065D", "0750654E", "A750654D", "07506540"])
def test_invalid_uai_is_refused_in_french(value: str) -> None:
    assert not is_valid_uai(value)
    with pytest.raises(InvalidUai) as refused:
        validate_uai(value)
    assert refused.value.code == "invalid_uai"
    assert "UAI" in refused.value.message
