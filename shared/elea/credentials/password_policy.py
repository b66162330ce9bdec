"""The password policy for local accounts (the management account first)."""

from __future__ import annotations

import unicodedata

from elea.credentials.errors import WeakPassword

MIN_LENGTH = 12
MAX_LENGTH = 128  # bounds the work an attacker can make the KDF do

_HINT = (
    f"Choisissez au moins {MIN_LENGTH} caractères, avec au moins une majuscule, une minuscule et un chiffre, "
    "sans y mettre le code UAI."
)


def normalised_password(password: str) -> str:
    """NFC: « é » typed on a Mac (e + combining accent) is the « é » typed elsewhere. What is checked,
    hashed and verified is always this form."""
    return unicodedata.normalize("NFC", password)


def counted_length(password: str) -> int:
    """The length that counts: in characters as people see them (NFC), spaces at either end left out."""
    return len(normalised_password(password).strip())


def check_password_policy(password: str, *, username: str) -> None:
    """Raises WeakPassword naming the first rule that is not met."""
    password = normalised_password(password)
    if counted_length(password) < MIN_LENGTH:
        raise WeakPassword(
            f"Le mot de passe doit comporter au moins {MIN_LENGTH} caractères.", code="password_too_short", hint=_HINT
        )
    if len(password) > MAX_LENGTH:
        raise WeakPassword(
            f"Le mot de passe ne doit pas dépasser {MAX_LENGTH} caractères.", code="password_too_long", hint=_HINT
        )
    if not any(c.isupper() for c in password):
        raise WeakPassword(
            "Le mot de passe doit contenir au moins une majuscule.", code="password_needs_uppercase", hint=_HINT
        )
    if not any(c.islower() for c in password):
        raise WeakPassword(
            "Le mot de passe doit contenir au moins une minuscule.", code="password_needs_lowercase", hint=_HINT
        )
    if not any(c.isdigit() for c in password):
        raise WeakPassword(
            "Le mot de passe doit contenir au moins un chiffre.", code="password_needs_digit", hint=_HINT
        )
    if username and normalised_password(username).casefold() in password.casefold():
        raise WeakPassword(
            "Le mot de passe ne doit pas contenir l'identifiant (code UAI).",
            code="password_contains_username",
            hint=_HINT,
        )
