"""The file's people as the accounts it would leave unchanged (elea.logic.users.expected_accounts), and their
fingerprints (elea.ports.account_marks): what lets a Moodle import vouch for an account without reading it."""

from __future__ import annotations

from elea.logic.usernames import propose_usernames
from elea.logic.users import expected_accounts, plan_upsert, upsert_people
from elea.models.outcome import Outcome
from elea.models.person import Profile
from elea.models.policy import ImportPolicy
from elea.ports.account_marks import fingerprint
from elea.ports.platform import AccountStatus
from tests.fakes.memory_platform import InMemoryPlatform
from tests.unit.logic.builders import UAI, account, person


def test_an_account_an_import_left_as_the_file_wants_has_the_fingerprint_of_the_expected_one() -> None:
    # GIVEN ENT people (one login with capitals) and SIECLE pupils (usernames proposed), imported
    people = propose_usernames(
        [
            person("1"),
            person("2", login="Login.Deux", profile=Profile.TEACHER),
            person("3", login=None, last_name="Durand"),
            person("4", login=None, last_name="Durand", first_name="Noé"),
        ]
    )
    platform = InMemoryPlatform()
    upsert_people(platform, UAI, people, ImportPolicy())
    # WHEN the same people are expected
    expected = expected_accounts(UAI, people)
    # THEN each account the platform holds has the fingerprint of its person's expected account
    held = {account.ent_id: fingerprint(account) for account in platform.accounts(UAI)}
    assert held == {account.ent_id: fingerprint(account) for account in expected}
    # AND an expected account stands for its account: the plan finds nothing to change
    stood_for = [
        expected_account.model_copy(update={"account_id": held_account.account_id, "cohorts": held_account.cohorts})
        for expected_account, held_account in zip(
            expected, sorted(platform.accounts(UAI), key=lambda a: a.ent_id or ""), strict=True
        )
    ]
    plan = plan_upsert(platform, UAI, people, ImportPolicy(), school_accounts=stood_for)
    assert [outcome.outcome for outcome in plan.outcomes] == [Outcome.UNCHANGED] * 4
    assert plan.writes == []


def test_a_person_without_a_username_of_their_own_is_not_expected() -> None:
    # GIVEN a SIECLE pupil whose username was not proposed (only the platform knows it)
    # WHEN expected, THEN nothing stands for their account: it is always read
    assert expected_accounts(UAI, [person("9", login=None)]) == []


def test_the_fingerprint_is_what_an_import_compares() -> None:
    # GIVEN an account
    base = account("lea.martin", ent_id="1")
    # THEN neither the username's case, nor memberships, the e-mail or the platform id change it
    same = base.model_copy(
        update={"username": "Lea.Martin", "cohorts": frozenset(), "email": "lea@example.org", "account_id": "42"}
    )
    assert fingerprint(same) == fingerprint(base)
    # AND every compared field does
    for change in (
        {"last_name": "Durand"},
        {"first_name": "Noé"},
        {"ent_id": "2"},
        {"profile": Profile.TEACHER},
        {"status": AccountStatus.SUSPENDED},
        {"username": "lea.martin2"},
    ):
        assert fingerprint(base.model_copy(update=change)) != fingerprint(base), change
