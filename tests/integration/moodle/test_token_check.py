"""check_token on the fake Moodle, one capability taken away at a time: it names exactly what is missing."""

from __future__ import annotations

import pytest

from elea.dal.moodle.token_check import check_token
from elea.dal.moodle.web_service import MoodleWebService
from tests.fakes.fake_moodle import FakeMoodle
from tests.fakes.fake_moodle.state import INTEGRATION_CAPABILITIES


@pytest.mark.parametrize(
    ("removed", "reported"),
    [
        ("moodle/user:viewdetails", {"moodle/user:viewdetails", "moodle/user:viewalldetails"}),
        ("moodle/user:viewalldetails", {"moodle/user:viewalldetails"}),
        ("moodle/site:viewuseridentity", {"moodle/site:viewuseridentity"}),
        ("moodle/user:create", {"moodle/user:create"}),
        ("moodle/user:update", {"moodle/user:update"}),
        ("moodle/cohort:manage", {"moodle/cohort:manage"}),
        # Moodle takes moodle/cohort:manage in place of view and assign: a role with manage lacks nothing.
        ("moodle/cohort:view", set()),
        ("moodle/cohort:assign", set()),
    ],
)
def test_each_missing_capability_is_named(fake_moodle: FakeMoodle, removed: str, reported: set[str]) -> None:
    # GIVEN a site with one cohort, and a role missing one capability
    fake_moodle.add_cohort("0771234Y$6A", "6A")
    token = fake_moodle.token_with(INTEGRATION_CAPABILITIES - {removed})
    # WHEN the token is checked
    result = check_token(MoodleWebService(fake_moodle.url, token))
    # THEN exactly that capability is reported, and the probes wrote nothing
    assert set(result.missing) == reported
    assert result.ok is (not reported)
    assert [c.idnumber for c in fake_moodle.state.cohorts.values()] == ["0771234Y$6A"]


def test_without_manage_a_missing_assign_is_found_on_an_existing_cohort(fake_moodle: FakeMoodle) -> None:
    fake_moodle.add_cohort("0771234Y$6A", "6A")
    token = fake_moodle.token_with(INTEGRATION_CAPABILITIES - {"moodle/cohort:manage", "moodle/cohort:assign"})
    result = check_token(MoodleWebService(fake_moodle.url, token))
    assert set(result.missing) == {"moodle/cohort:manage", "moodle/cohort:assign"}


def test_a_site_admin_token_is_refused(fake_moodle: FakeMoodle) -> None:
    result = check_token(MoodleWebService(fake_moodle.url, fake_moodle.admin_token))
    assert [p.code for p in result.problems] == ["moodle_token_of_site_admin"]


def test_a_known_account_proves_the_right_to_read(fake_moodle: FakeMoodle) -> None:
    fake_moodle.add_user("jdupont1", idnumber="123")
    assert check_token(MoodleWebService(fake_moodle.url, fake_moodle.token), known_username="JDupont1").ok
    nocap = check_token(MoodleWebService(fake_moodle.url, fake_moodle.token_nocap), known_username="jdupont1")
    assert "moodle/user:viewdetails" in nocap.missing
    assert all("jdupont1" not in p.message for p in nocap.problems)


def test_an_insufficient_token_raises_before_any_write(fake_moodle: FakeMoodle) -> None:
    from elea.dal.moodle.errors import MoodleTokenInsufficient

    result = check_token(MoodleWebService(fake_moodle.url, fake_moodle.token_nocap))
    with pytest.raises(MoodleTokenInsufficient) as caught:
        result.raise_if_insufficient()
    assert "moodle/user:create" in caught.value.missing
