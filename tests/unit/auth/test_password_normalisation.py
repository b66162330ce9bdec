"""The password policy counts what matters (issue 9, item 9): NFC before checking and hashing, and the
spaces at either end never count toward the length."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elea.auth.activate import activate_account
from elea.auth.login import log_in
from elea.credentials.errors import WeakPassword
from elea.credentials.password_policy import MIN_LENGTH, check_password_policy, counted_length
from tests.fakes.cheap_hashing import cheap_hashing
from tests.unit.auth.test_activate_account import UAI, _auth, _registered

# Letters that decompose (é, ü, Å, ñ…) beside plain ones, digits and spaces.
ACCENTED = "éèêëàâäîïôöùûüçÉÈÊÀÂÎÔÛÇñÑåÅ"
PASSWORDS = st.text(alphabet=ACCENTED + "abcXYZ019-_ !", min_size=1, max_size=30)
SPACES = st.text(alphabet=" \t\u00a0\u3000", max_size=4)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def verdict(password: str, username: str = "") -> str | None:
    try:
        check_password_policy(password, username=username)
    except WeakPassword as refusal:
        return refusal.code
    return None


@given(PASSWORDS)
def test_the_policy_gives_the_same_verdict_whatever_the_unicode_form(password: str) -> None:
    # GIVEN a password typed in composed (Windows, Linux) or decomposed form (macOS)
    # WHEN the policy checks it THEN the verdict is the same
    assert verdict(nfd(password)) == verdict(nfc(password))


@given(PASSWORDS, SPACES, SPACES)
def test_spaces_at_either_end_never_count_toward_the_length(password: str, before: str, after: str) -> None:
    # GIVEN a password, padded with spaces before and after
    padded = before + password + after
    # THEN its counted length is the unpadded one, so padding never makes a short password long enough
    assert counted_length(padded) == counted_length(password.strip()) == len(nfc(password).strip())
    if counted_length(password) < MIN_LENGTH:
        assert verdict(padded) == "password_too_short"


def test_a_decomposed_password_is_counted_in_characters_as_people_see_them() -> None:
    # GIVEN eleven visible characters, five of them accented, in NFD (16 code points)
    password = nfd("Éléonore-é9")
    assert len(password) > MIN_LENGTH
    # THEN it is too short: « é » is one character, not two
    assert verdict(password) == "password_too_short"
    assert verdict(nfd("Éléonore-é9x")) is None


def test_twelve_characters_padded_with_spaces_are_enough_and_eleven_are_not() -> None:
    assert verdict("   Abcdefgh123x ") is None
    assert verdict("   Abcdefgh12x  ") == "password_too_short"


@settings(max_examples=30, deadline=None)
@given(PASSWORDS)
def test_a_hash_made_from_one_form_verifies_the_other(password: str) -> None:
    # GIVEN a password hashed as typed on a Mac
    hashing = cheap_hashing()
    stored = hashing.hash(nfd(password))
    # THEN it verifies as typed elsewhere, and the other way round
    assert hashing.verify(stored, nfc(password))
    assert hashing.verify(hashing.hash(nfc(password)), nfd(password))
    assert not hashing.verify(stored, nfc(password) + "x")


def test_a_hash_made_before_normalisation_still_verifies_the_same_typing() -> None:
    # GIVEN a hash of a decomposed password stored before passwords were normalised
    hashing = cheap_hashing()
    legacy = hashing._hasher.hash(nfd("Mot-de-passe-Éléa1"))
    # THEN the manager, typing as before, still logs in
    assert hashing.verify(legacy, nfd("Mot-de-passe-Éléa1"))


@pytest.mark.parametrize(("chosen", "typed"), [(nfd, nfc), (nfc, nfd)])
def test_a_password_chosen_on_a_mac_logs_in_from_windows(chosen: object, typed: object) -> None:
    # GIVEN a management account activated with an accented password in one form
    registry, token = _registered()
    password = "Été-à-Créteil-2026"
    activate_account(token, chosen(password), _auth(registry))  # type: ignore[operator]
    # WHEN the manager logs in typing it in the other form THEN it works
    assert log_in(UAI, typed(password), _auth(registry)).uai == UAI  # type: ignore[operator]
