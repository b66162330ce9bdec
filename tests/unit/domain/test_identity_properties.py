"""Properties of the one identity comparison (elea.domain.identity): NFC, folding, hidden characters, UAIs."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from elea.domain.identity import hidden_character_in, identity_key, looks_like_uai, nfc

_LATIN = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéèêëàâäîïôöùûüçœ-.'0123456789"), min_size=1)
_ANY = st.text(min_size=1, max_size=30)
_HIDDEN = st.sampled_from(
    [
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u202e",
        "\u202a",
        "\u2066",
        "\u00ad",
        "\x00",
        "\x1b",
        "\x7f",
        "\u0085",
        "\u00a0",
        "\u3000",
        "\u034f",
        "\ufe0f",
        "\u2028",
    ]
)


def _full_width(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


@given(_ANY)
def test_nfc_is_the_nfc_form_whatever_the_input(text: str) -> None:
    assert nfc(text) == unicodedata.normalize("NFC", text)
    assert nfc(unicodedata.normalize("NFD", text)) == nfc(text)


@given(_LATIN)
def test_case_accents_decomposition_and_full_width_make_one_identity(text: str) -> None:
    # GIVEN a login WHEN re-typed decomposed (a Mac), in capitals, without accents or full-width
    key = identity_key(text)
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    # THEN it is still the same identity
    assert identity_key(unicodedata.normalize("NFD", text)) == key
    assert identity_key(text.upper()) == key
    assert identity_key(stripped) == key
    assert identity_key(_full_width(text)) == key


@given(_ANY)
def test_the_key_is_stable_under_its_own_folding(text: str) -> None:
    assert identity_key(identity_key(text)) == identity_key(text)


@given(_LATIN, _HIDDEN, st.integers(min_value=0, max_value=40))
def test_a_hidden_character_anywhere_is_seen(text: str, hidden: str, where: int) -> None:
    position = where % (len(text) + 1)
    assert hidden_character_in(text[:position] + hidden + text[position:])


@given(_LATIN)
def test_ordinary_names_and_logins_hold_no_hidden_character(text: str) -> None:
    assert not hidden_character_in(text)
    assert not hidden_character_in(unicodedata.normalize("NFD", text))


@given(st.integers(min_value=0, max_value=9_999_999), st.sampled_from("abcdefghjklmnprstuvwxyz"))
def test_every_uai_shape_and_its_look_alikes_are_reserved(number: int, letter: str) -> None:
    uai = f"{number:07d}{letter}"
    for form in (
        uai,
        uai.upper(),
        _full_width(uai.upper()),
        f"{uai[:7]}-{letter}",
        uai.replace("0", "o"),
        uai.replace("1", "l"),
        f" {uai} ".strip(),
    ):
        assert looks_like_uai(form), form


@given(_LATIN.filter(lambda text: sum(char.isdigit() for char in text) < 6))
def test_ordinary_logins_are_not_uai_shaped(text: str) -> None:
    assert not looks_like_uai(text)
