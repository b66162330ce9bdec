"""The client against the fake Moodle over real HTTP: retries, failures, batching, isolation, secrecy."""

from __future__ import annotations

import logging

import httpx
import pytest

from elea.dal.moodle.errors import MoodleCallError, MoodleConfigurationError, MoodleUnavailable
from elea.dal.moodle.form_encoding import MAX_INPUT_VARS
from elea.dal.moodle.models import NewMoodleUser
from elea.dal.moodle.web_service import MoodleWebService
from tests.fakes.fake_moodle import FakeMoodle


class Sleeps:
    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


def client(fake: FakeMoodle, sleeps: Sleeps, **options: float) -> MoodleWebService:
    return MoodleWebService(fake.url, fake.token, sleep=sleeps, **options)  # type: ignore[arg-type]


def people(count: int, prefix: str = "p") -> list[NewMoodleUser]:
    return [
        NewMoodleUser(
            username=f"{prefix}{i:05d}",
            firstname="Prénom",
            lastname="Nom",
            email=f"{prefix}{i:05d}@example.invalid",
            auth="cas",
            idnumber=f"ID{i:05d}",
        )
        for i in range(count)
    ]


def test_http_500_is_retried_with_back_off_then_answers(fake_moodle: FakeMoodle) -> None:
    # GIVEN a Moodle failing twice with HTTP 500
    fake_moodle.fail_next(2, kind="http_500")
    sleeps = Sleeps()
    # WHEN the client asks
    site = client(fake_moodle, sleeps).site_info()
    # THEN it answers after two growing waits, and Moodle ran the function once
    assert site.username == "wsimport"
    assert sleeps.seconds == [0.5, 1.0]
    assert fake_moodle.calls["core_webservice_get_site_info"] == 1


def test_a_dropped_connection_is_retried(fake_moodle: FakeMoodle) -> None:
    fake_moodle.fail_next(1, kind="drop")
    sleeps = Sleeps()
    assert client(fake_moodle, sleeps).site_info().userid == 3
    assert len(sleeps.seconds) == 1


def test_a_timeout_is_retried_then_reported_unavailable_in_french(fake_moodle: FakeMoodle) -> None:
    # GIVEN a Moodle that never answers in time
    fake_moodle.fail_next(3, kind="hang")
    sleeps = Sleeps()
    ws = client(fake_moodle, sleeps, timeout_seconds=0.05, max_attempts=3)
    # WHEN the client asks, THEN after its attempts it says so, in French, with a stable code
    with pytest.raises(MoodleUnavailable) as caught:
        ws.site_info()
    assert caught.value.code == "moodle_unavailable"
    assert "n'a pas répondu" in caught.value.message
    assert len(sleeps.seconds) == 2


def test_a_moodle_that_is_down_is_unavailable_and_a_later_call_works(fake_moodle: FakeMoodle) -> None:
    sleeps = Sleeps()
    ws = client(fake_moodle, sleeps, max_attempts=2)
    fake_moodle.go_down()
    with pytest.raises(MoodleUnavailable):
        ws.site_info()
    fake_moodle.come_back()
    assert ws.site_info().username == "wsimport"


def test_moodle_errors_are_never_retried(fake_moodle: FakeMoodle) -> None:
    sleeps = Sleeps()
    ws = MoodleWebService(fake_moodle.url, "0" * 32, sleep=sleeps)
    with pytest.raises(MoodleCallError):
        ws.site_info()
    assert sleeps.seconds == []
    assert fake_moodle.calls["core_webservice_get_site_info"] == 1


@pytest.mark.parametrize("status", [301, 403, 404])
def test_a_redirect_or_an_http_4xx_is_a_configuration_error_never_retried(status: int) -> None:
    # GIVEN an address that is not Moodle's web service (httpx's own test transport stands for the site)
    sleeps = Sleeps()
    transport = httpx.MockTransport(lambda request: httpx.Response(status, text="<html>ailleurs</html>"))
    ws = MoodleWebService("https://elea.example/", "t", http=httpx.Client(transport=transport), sleep=sleeps)
    with pytest.raises(MoodleConfigurationError) as caught:
        ws.site_info()
    assert f"HTTP {status}" in caught.value.message
    assert sleeps.seconds == []


def test_plain_http_is_refused_off_loopback() -> None:
    with pytest.raises(MoodleConfigurationError) as caught:
        MoodleWebService("http://idf-77-3.elea.apps.education.fr/", "t")
    assert "https://" in caught.value.message
    MoodleWebService("https://idf-77-3.elea.apps.education.fr/", "t").close()
    MoodleWebService("http://localhost:8045", "t").close()


def test_the_token_is_in_no_log_line_nor_error(fake_moodle: FakeMoodle, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake_moodle.fail_next(1, kind="http_503")
    ws = client(fake_moodle, Sleeps(), max_attempts=2)
    ws.site_info()
    fake_moodle.go_down()
    with pytest.raises(MoodleUnavailable) as caught:
        ws.site_info()
    everything = caplog.text + str(caught.value) + repr(caught.value) + repr(ws)
    assert fake_moodle.token not in everything


def test_large_lookups_and_creations_stay_under_max_input_vars(fake_moodle: FakeMoodle) -> None:
    # GIVEN 1,200 people to create (about 7 variables each) and 6,000 usernames to look up
    ws = client(fake_moodle, Sleeps())
    result = ws.create_users(people(1200))
    found = ws.users_by_field("username", [f"P{i:05d}" for i in range(6000)])
    # THEN everyone is created and found, in a few calls, none past the limit
    assert len(result.created) == 1200
    assert not result.rejected
    assert len(found) == 1200
    assert fake_moodle.calls["core_user_create_users"] == 2
    assert fake_moodle.calls["core_user_get_users_by_field"] == 2
    assert fake_moodle.largest_post_vars <= MAX_INPUT_VARS


def test_one_bad_person_costs_a_few_calls_and_everyone_else_is_created(fake_moodle: FakeMoodle) -> None:
    # GIVEN 200 people, one of whom has an address Moodle already holds
    fake_moodle.add_user("already", email="p00117@example.invalid")
    ws = client(fake_moodle, Sleeps())
    # WHEN created
    result = ws.create_users(people(200))
    # THEN 199 are created, the one refused is named by username only, in about 2·log2(200) calls
    assert len(result.created) == 199
    assert list(result.rejected) == ["p00117"]
    assert fake_moodle.calls["core_user_create_users"] <= 2 * 8 + 1
    assert fake_moodle.user("p00116") is not None


def test_delete_members_drops_unknown_users_and_removes_the_rest(fake_moodle: FakeMoodle) -> None:
    ids = [fake_moodle.add_user(f"m{i}") for i in range(8)]
    usernames = [f"m{i}" for i in range(8)]
    cohort = fake_moodle.add_cohort("0771234Y$6A", "6A", members=usernames)
    ws = client(fake_moodle, Sleeps())
    ws.delete_cohort_members([(cohort, i) for i in ids[:6]] + [(cohort, 999), (cohort, 998)])
    assert fake_moodle.member_usernames("0771234Y$6A") == {"m6", "m7"}


def test_with_parallel_calls_a_large_volume_is_spread_and_nothing_is_lost(fake_moodle: FakeMoodle) -> None:
    # GIVEN a client that may send 3 calls at once, and 600 people (one call's worth)
    ws = client(fake_moodle, Sleeps(), parallel_calls=3)
    # WHEN they are created, read back and given a cohort
    result = ws.create_users(people(600))
    found = ws.users_by_field("username", [f"p{i:05d}" for i in range(600)])
    fake_moodle.add_cohort("0771234Y$6A", "6A")
    warnings = ws.add_cohort_members([("0771234Y$6A", f"p{i:05d}") for i in range(600)])
    # THEN each volume went out as 3 calls, and everyone is created, found and a member, in order
    assert len(result.created) == 600
    assert not result.rejected
    assert [user.username for user in found] == [f"p{i:05d}" for i in range(600)]
    assert not warnings
    assert len(fake_moodle.member_usernames("0771234Y$6A")) == 600
    assert fake_moodle.calls["core_user_create_users"] == 3
    assert fake_moodle.calls["core_user_get_users_by_field"] == 3
    assert fake_moodle.calls["core_cohort_add_cohort_members"] == 3
    ws.close()


def test_with_parallel_calls_a_small_volume_stays_one_call(fake_moodle: FakeMoodle) -> None:
    ws = client(fake_moodle, Sleeps(), parallel_calls=4)
    ws.create_users(people(150))
    assert fake_moodle.calls["core_user_create_users"] == 1
    ws.close()


def test_with_parallel_calls_one_failing_call_fails_the_whole_read_after_the_others_end(
    fake_moodle: FakeMoodle,
) -> None:
    # GIVEN 400 people, and a Moodle that will refuse the next lookup outright
    ws = client(fake_moodle, Sleeps(), parallel_calls=2, max_attempts=1)
    ws.create_users(people(400))
    fake_moodle.fail_next(1, kind="http_500", function="core_user_get_users_by_field")
    # WHEN the 400 are read in two calls at once
    with pytest.raises(MoodleUnavailable):
        ws.users_by_field("username", [f"p{i:05d}" for i in range(400)])
    # THEN the other call was answered before the error came out (the refused one never reached Moodle), and
    # no half-read is returned
    assert fake_moodle.calls["core_user_get_users_by_field"] == 1
    ws.close()
