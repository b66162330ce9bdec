"""Look-alike usernames are one identity on the platform, and no import creates a UAI-shaped username."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from elea.logic.usernames import propose_usernames
from elea.logic.users import MESSAGE_RESERVED_USERNAME, upsert_people
from elea.models.outcome import Outcome
from elea.models.policy import ImportPolicy
from tests.fakes.memory_platform import InMemoryPlatform
from tests.unit.logic.builders import OTHER_UAI, UAI, person

POLICY = ImportPolicy()
_LOGIN = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéèçàô.-"), min_size=3, max_size=20).filter(
    lambda text: any(char.isalpha() for char in text)
)


def _look_alikes(login: str) -> list[str]:
    full_width = "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in login)
    no_accents = "".join(c for c in unicodedata.normalize("NFD", login) if not unicodedata.combining(c))
    return [login.upper(), unicodedata.normalize("NFD", login), full_width, no_accents]


@settings(max_examples=30)
@given(_LOGIN, st.integers(min_value=0, max_value=3))
def test_a_look_alike_of_another_schools_username_is_never_a_second_account(login: str, variant: int) -> None:
    # GIVEN another school's account with this login
    platform = InMemoryPlatform()
    upsert_people(platform, OTHER_UAI, [person("a1", login=login)], POLICY)
    # WHEN this school's file brings a look-alike login (case, NFD, full-width, accents dropped)
    [result] = upsert_people(platform, UAI, [person("b1", login=_look_alikes(login)[variant])], POLICY)
    # THEN no second account is made: it is a reported conflict
    assert result.outcome is Outcome.ERROR
    assert len(platform.all_accounts()) == 1


@settings(max_examples=30)
@given(_LOGIN, st.integers(min_value=0, max_value=3))
def test_a_look_alike_re_export_of_the_same_person_is_unchanged(login: str, variant: int) -> None:
    # GIVEN this school's account
    platform = InMemoryPlatform()
    upsert_people(platform, UAI, [person("a1", login=login)], POLICY)
    # WHEN the same person comes back with the login in another form
    [result] = upsert_people(platform, UAI, [person("a1", login=_look_alikes(login)[variant])], POLICY)
    # THEN nothing changes: one identity, the username kept as it was
    assert result.outcome is Outcome.UNCHANGED
    [account] = platform.all_accounts()
    assert account.username == login.lower()


@given(st.integers(min_value=0, max_value=9_999_999), st.sampled_from(["Y", "y", "-y", "Ｙ"]))
def test_no_import_creates_a_uai_shaped_username(number: int, letter: str) -> None:
    # GIVEN an ENT login shaped like a UAI (a school's management username)
    platform = InMemoryPlatform()
    # WHEN imported
    [result] = upsert_people(platform, UAI, [person("1", login=f"{number:07d}{letter}")], POLICY)
    # THEN no account is created, with a message that says why
    assert result.outcome is Outcome.ERROR
    assert result.message == MESSAGE_RESERVED_USERNAME
    assert platform.all_accounts() == []


def test_a_siecle_person_named_like_a_uai_gets_a_suffixed_username() -> None:
    # GIVEN a SIECLE person whose generated username would be a UAI
    [proposed] = propose_usernames([person("s1", login=None, first_name="", last_name="0771234Y")])
    # THEN the proposal is the hash-suffixed form, never the UAI
    assert proposed.proposed_username is not None
    assert proposed.proposed_username.startswith("0771234y-")
    platform = InMemoryPlatform()
    [result] = upsert_people(platform, UAI, [proposed], POLICY)
    assert result.outcome is Outcome.CREATED
    assert platform.all_accounts()[0].username == proposed.proposed_username
