"""Creating accounts in Moodle (issue 7, items 2, 5 and 6): the export's e-mail when valid, the undeliverable
placeholder when another account holds it, so a shared or duplicate e-mail never fails a call and costs a
lookup only when Moodle refused the batch; a creation whose answer was lost is never made twice."""

from __future__ import annotations

from elea.dal.moodle.mapping import MoodleMapping
from elea.dal.moodle.platform import MoodlePlatform
from elea.dal.moodle.web_service import MoodleWebService
from elea.ports.platform import AccountChange, Cohort
from tests.fakes.fake_moodle import FakeMoodle
from tests.fakes.memory_roster_mirror import InMemoryRosterMirror
from tests.unit.logic.builders import UAI, account


def platform_on(fake_moodle: FakeMoodle) -> MoodlePlatform:
    web_service = MoodleWebService(fake_moodle.url, fake_moodle.token, max_attempts=2, sleep=lambda _: None)
    platform = MoodlePlatform(web_service, MoodleMapping(), InMemoryRosterMirror())
    platform.create_cohorts(UAI, [Cohort(idnumber=f"{UAI}$3A", name="3A", uai=UAI)])
    return platform


def arrivals(*people: tuple[str, str | None]) -> list[AccountChange]:
    return [
        AccountChange(before=None, after=account(username, ent_id=f"E-{username}").model_copy(update={"email": email}))
        for username, email in people
    ]


def email_of(fake_moodle: FakeMoodle, username: str) -> str:
    user = fake_moodle.user(username)
    assert user is not None, username
    return user.email


def test_free_e_mails_are_kept_in_one_creation_call_without_any_lookup(fake_moodle: FakeMoodle) -> None:
    # GIVEN three arrivals with e-mails no account holds
    platform = platform_on(fake_moodle)
    fake_moodle.reset_calls()
    # WHEN they are created
    # (their usernames looked up by the chunk's plan, as an import does)
    rejections = platform.write_accounts(
        UAI, arrivals(("ana", "ana@example.org"), ("bob", "bob@example.org"), ("cy", None)), looked_up=True
    )
    # THEN all three exist, with their own e-mails or the placeholder, after one creation call and no lookup
    assert rejections == []
    assert email_of(fake_moodle, "ana") == "ana@example.org"
    assert email_of(fake_moodle, "bob") == "bob@example.org"
    assert email_of(fake_moodle, "cy") == f"cy@{UAI.lower()}.invalid"
    assert fake_moodle.calls["core_user_create_users"] == 1
    assert fake_moodle.calls.get("core_user_get_users_by_field", 0) == 0, fake_moodle.calls


def test_an_e_mail_another_account_holds_gets_the_placeholder_and_everyone_is_created(
    fake_moodle: FakeMoodle,
) -> None:
    # GIVEN an account made by hand that holds an e-mail (allowaccountssameemail is 0, Moodle's default)
    fake_moodle.add_user("prof.main", email="Famille@Example.org")
    platform = platform_on(fake_moodle)
    # WHEN three arrivals are created, one of them with that e-mail in another case (which Moodle's
    # case-sensitive lookup does not find, though its check at creation refuses it)
    rejections = platform.write_accounts(
        UAI, arrivals(("ana", "ana@example.org"), ("bob", "famille@example.org"), ("cy", "cy@example.org"))
    )
    # THEN nobody is refused: the holder keeps its e-mail, the arrival gets the placeholder, the others theirs
    assert rejections == []
    assert email_of(fake_moodle, "prof.main") == "Famille@Example.org"
    assert email_of(fake_moodle, "bob") == f"bob@{UAI.lower()}.invalid"
    assert (email_of(fake_moodle, "ana"), email_of(fake_moodle, "cy")) == ("ana@example.org", "cy@example.org")


def test_an_e_mail_held_in_the_same_case_is_found_by_the_lookup(fake_moodle: FakeMoodle) -> None:
    # GIVEN an account made by hand holding an e-mail
    fake_moodle.add_user("prof.main", email="famille@example.org")
    platform = platform_on(fake_moodle)
    fake_moodle.reset_calls()
    # WHEN an arrival with the same e-mail is created
    rejections = platform.write_accounts(UAI, arrivals(("bob", "famille@example.org")), looked_up=True)
    # THEN the refused call leads to the username and e-mail lookups, and the arrival is created with the
    # placeholder
    assert rejections == []
    assert email_of(fake_moodle, "bob") == f"bob@{UAI.lower()}.invalid"
    assert fake_moodle.calls["core_user_get_users_by_field"] == 2
    assert fake_moodle.calls["core_user_create_users"] == 2


def test_two_people_of_the_file_with_one_e_mail_never_fail_the_call(fake_moodle: FakeMoodle) -> None:
    # GIVEN two arrivals sharing an e-mail (a family address)
    platform = platform_on(fake_moodle)
    fake_moodle.reset_calls()
    # WHEN they are created
    rejections = platform.write_accounts(
        UAI, arrivals(("ana", "maison@example.org"), ("bob", "maison@example.org")), looked_up=True
    )
    # THEN both exist, the first with it and the second with the placeholder, in one call
    assert rejections == []
    assert email_of(fake_moodle, "ana") == "maison@example.org"
    assert email_of(fake_moodle, "bob") == f"bob@{UAI.lower()}.invalid"
    assert fake_moodle.calls["core_user_create_users"] == 1


def test_a_creation_whose_answer_was_lost_is_retried_without_duplicate_nor_split(fake_moodle: FakeMoodle) -> None:
    # GIVEN a creation call that Moodle carries out but whose answer never comes back (a 503 after the work)
    platform = platform_on(fake_moodle)
    fake_moodle.fail_next(1, kind="lost_answer", function="core_user_create_users")
    fake_moodle.reset_calls()
    people = [(f"eleve.{n}", f"eleve.{n}@example.org") for n in range(40)]
    # WHEN the accounts are created (the client retries the call, which Moodle now refuses: they exist)
    rejections = platform.write_accounts(UAI, arrivals(*people), looked_up=True)
    # THEN nobody is refused, each exists once with its own e-mail, and one lookup replaced any split
    assert rejections == []
    assert sum(1 for user in fake_moodle.state.users.values() if user.username.startswith("eleve.")) == 40
    assert email_of(fake_moodle, "eleve.7") == "eleve.7@example.org"
    assert fake_moodle.calls["core_user_create_users"] == 2
    assert fake_moodle.calls["core_user_get_users_by_field"] == 1
    # AND they are the school's: its roster lists them
    assert {account.username for account in platform.accounts(UAI)} == {name for name, _ in people}


def test_a_username_taken_meanwhile_by_someone_else_is_refused_alone(fake_moodle: FakeMoodle) -> None:
    # GIVEN a username that another person took after the chunk's plan looked it up
    platform = platform_on(fake_moodle)
    fake_moodle.add_user("ana", idnumber="SOMEONE-ELSE", email="other@example.org")
    # WHEN three arrivals are created, one of them with that username
    rejections = platform.write_accounts(
        UAI, arrivals(("ana", "ana@example.org"), ("bob", None), ("cy", None)), looked_up=True
    )
    # THEN that one is refused, in French, with a stable code; the others are created; the holder is untouched
    assert [(r.username, r.code) for r in rejections] == [("ana", "username_taken")]
    assert "déjà utilisé" in rejections[0].message
    assert fake_moodle.user("bob") is not None
    assert fake_moodle.user("cy") is not None
    holder = fake_moodle.user("ana")
    assert holder is not None
    assert holder.idnumber == "SOMEONE-ELSE"
