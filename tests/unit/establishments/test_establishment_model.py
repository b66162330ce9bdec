from __future__ import annotations

import pytest

from elea.establishments.academy import AcademySettings
from elea.establishments.errors import InvalidEstablishment
from elea.establishments.establishment import new_establishment

UAI = "0771234Y"


def _academy(**overrides: str) -> AcademySettings:
    return AcademySettings(activation_page_url="https://auth.example/activation", **overrides)


def test_fields_are_normalised() -> None:
    # GIVEN values as a spreadsheet gives them WHEN the establishment is built
    school = new_establishment(uai=" 0771234y ", name="  Collège   Jean  Moulin ", department="77", basin="03")
    # THEN the UAI is upper case, spaces collapsed, the basin has no leading zero
    assert (school.uai, school.name, school.department, school.basin) == ("0771234Y", "Collège Jean Moulin", "77", "3")


def test_excel_dropped_leading_zero_of_department_is_restored() -> None:
    assert new_establishment(uai=UAI, name="X", department="1", basin="2").department == "01"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("uai", "0771234A", "invalid_uai"),
        ("uai", "77", "invalid_uai"),
        ("name", "   ", "invalid_establishment_name"),
        ("name", "x" * 201, "invalid_establishment_name"),
        ("department", "7X", "invalid_department"),
        ("department", "", "invalid_department"),
        ("basin", "A", "invalid_basin"),
        ("basin", "123", "invalid_basin"),
    ],
)
def test_a_wrong_field_gets_its_own_stable_code_and_a_french_message(field: str, value: str, code: str) -> None:
    values = {"uai": UAI, "name": "Collège", "department": "77", "basin": "3"} | {field: value}
    # WHEN one field is wrong THEN the error names that field's rule in French
    with pytest.raises(InvalidEstablishment) as caught:
        new_establishment(**values)
    assert caught.value.code == code
    assert caught.value.hint


def test_platform_url_mailbox_and_platform_id_follow_the_academy_settings() -> None:
    school = new_establishment(uai=UAI, name="Collège", department="77", basin="3")
    academy = _academy()
    assert academy.platform_url(school) == "https://idf-77-3.elea.apps.education.fr/"
    assert academy.platform_id(school) == "idf-77-3"
    assert academy.mailbox(UAI) == "0771234y@ac-creteil.fr"
    # GIVEN another académie's pattern and domain THEN they are used instead
    versailles = _academy(
        platform_url_pattern="https://elea-{dept}-{basin}.ac-versailles.fr/", mail_domain="AC-VERSAILLES.FR"
    )
    assert versailles.platform_url(school) == "https://elea-77-3.ac-versailles.fr/"
    assert versailles.mailbox(UAI) == "0771234y@ac-versailles.fr"


@pytest.mark.parametrize(
    "pattern",
    [
        "http://idf-{dept}-{basin}.example/",
        "https://idf-{dept}.example/",
        "https://{x}-{dept}-{basin}/",
        "https://a-{dept}-{basin}",
    ],
)
def test_a_bad_url_pattern_is_refused_at_configuration(pattern: str) -> None:
    with pytest.raises(ValueError, match="modèle"):
        _academy(platform_url_pattern=pattern)


def test_activation_link_carries_the_token_in_the_fragment_only() -> None:
    # The fragment never reaches a server log or a Referer header.
    assert _academy().activation_link("abc") == "https://auth.example/activation#token=abc"
