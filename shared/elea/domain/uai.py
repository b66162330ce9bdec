"""The one place where a UAI (the school's national code, ex-RNE) is checked."""

from __future__ import annotations

import re

from elea.errors import InvalidUai

_CHECK_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_SHAPE = re.compile(r"^[0-9]{7}[A-Z]$")


def uai_check_letter(first_seven: str) -> str:
    return _CHECK_LETTERS[int(first_seven) % 23]


def is_valid_uai(value: str) -> bool:
    candidate = value.strip().upper()
    return bool(_SHAPE.match(candidate)) and uai_check_letter(candidate[:7]) == candidate[7]


def validate_uai(value: str) -> str:
    """Returns the normalised UAI (upper case) or raises InvalidUai with a French message."""
    candidate = (value or "").strip().upper()
    if not _SHAPE.match(candidate):
        raise InvalidUai(
            "Le code UAI doit comporter 7 chiffres suivis d'une lettre (exemple : 0771234Y).",
            hint="Vérifiez le code UAI (RNE) de l'établissement.",
        )
    if uai_check_letter(candidate[:7]) != candidate[7]:
        raise InvalidUai(
            "La lettre de contrôle du code UAI est incorrecte.",
            hint="Vérifiez le code UAI (RNE) de l'établissement.",
        )
    return candidate
