"""Initial passwords: random, readable on paper (no 0/O, 1/l/I), and always accepted by the password policy."""

from __future__ import annotations

import secrets
import string

INITIAL_PASSWORD_LENGTH = 14
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnopqrstuvwxyz"
_DIGITS = "23456789"
# Moodle's default password policy wants one non-alphanumeric character: a local (SIECLE) account's initial
# password is also its Moodle password. Two that read unambiguously on paper and type on any keyboard.
_SYMBOLS = "-#"
_ALPHABET = _UPPER + _LOWER + _DIGITS + _SYMBOLS


def generate_password(length: int = INITIAL_PASSWORD_LENGTH) -> str:
    """About 5.9 bits per character: 14 characters ≈ 82 bits, drawn with `secrets`."""
    if length < 12:
        raise ValueError("an initial password has at least 12 characters")
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if (
            any(c in _UPPER for c in candidate)
            and any(c in _LOWER for c in candidate)
            and any(c in string.digits for c in candidate)
            and any(c in _SYMBOLS for c in candidate)
        ):
            return candidate
