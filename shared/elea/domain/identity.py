"""The one place that says when two logins, usernames or class names are the same identity.

Moodle compares usernames and cohort idnumbers with a case- and accent-insensitive collation, and a
screen shows « ＪＥＡＮ » (full-width) like « jean »: two values that differ only there must never
become two accounts or two cohorts. `identity_key` is that comparison (NFKC, case folding, accents
removed); every username comparison (readers, users step, platform adapters) goes through it.
`nfc` is the stored form: the same name typed on a Mac (NFD) and on Windows (NFC) is one name.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible or direction-changing characters: zero-width spaces and joiners, the BOM, bidi controls
# (U+202A–U+202E, U+2066–U+2069), soft hyphen… They are all in Unicode's "format" category (Cf); with
# controls (Cc), separators other than the plain space, private-use and unassigned code points, a
# login or a class holding one could look like another: never an account or a cohort.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
# Default-ignorable characters outside Cf (Unicode's DerivedCoreProperties): drawn as nothing.
_IGNORABLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]")
# A school's management username is its UAI: 7 digits then a letter.
_UAI_SHAPED = re.compile(r"^[0-9]{7}[a-z]$")
# What a digit can be mistaken for on screen, once the key is folded (o for 0, l or i for 1…).
_DIGIT_LOOKALIKES = str.maketrans({"o": "0", "i": "1", "l": "1", "|": "1"})
# Separators someone could slip into a UAI-looking login ("0771234-y", "077 1234y").
_SEPARATORS = re.compile(r"[\s._\-'’·]+")


def nfc(text: str) -> str:
    """The stored form of a name, login or class: NFC (plain ASCII is returned as it is, for speed)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def identity_key(text: str) -> str:
    """Equal keys mean one identity: case, accents and compatibility forms (full-width) do not count."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return unicodedata.normalize("NFC", "".join(char for char in folded if not unicodedata.combining(char)))


def hidden_character_in(text: str) -> bool:
    """True when the text holds a control, invisible or bidirectional character (a space is not one)."""
    if text.isascii():
        return not text.isprintable()
    if _IGNORABLE.search(text):
        return True
    # A space other than the plain one (no-break, thin, ideographic…) looks like it but is another character.
    return any(unicodedata.category(char) in _HIDDEN_CATEGORIES or (char.isspace() and char != " ") for char in text)


def looks_like_uai(username: str) -> bool:
    """True for a username that is, or could pass for, a school's management username (a UAI).

    Any 7 digits + letter counts, valid check letter or not, in any case or width, with separators
    inside or with letters that read as digits (« O771234Y »).
    """
    key = _SEPARATORS.sub("", identity_key(username))
    if len(key) != 8:
        return False
    return bool(_UAI_SHAPED.match(key[:7].translate(_DIGIT_LOOKALIKES) + key[7]))
