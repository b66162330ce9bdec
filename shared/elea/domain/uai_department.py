"""The department a UAI belongs to: its first three digits (077 → 77). Corsica's UAIs start with
620 (Corse-du-Sud, 2A) and 720 (Haute-Corse, 2B); overseas ones with 971 to 976."""

from __future__ import annotations

from elea.domain.uai import is_valid_uai

_CORSICA = {"620": "2A", "720": "2B"}
_OVERSEAS = {f"97{digit}" for digit in "123456"}


def department_of_uai(uai: str) -> str | None:
    """None for a UAI whose prefix is no department the registry knows: never a guess."""
    if not is_valid_uai(uai):
        return None
    prefix = uai.strip()[:3]
    if prefix in _CORSICA:
        return _CORSICA[prefix]
    if prefix in _OVERSEAS:
        return prefix
    # Metropolitan: 001–095, without 020 (Corsica was split in 1976 and has its own prefixes).
    if prefix.startswith("0") and prefix != "020" and 1 <= int(prefix) <= 95:
        return prefix[1:]
    return None
