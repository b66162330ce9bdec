"""argon2id with tiny parameters: the same code path, milliseconds instead of a quarter second."""

from __future__ import annotations

from argon2 import PasswordHasher

from elea.credentials.hashing import PasswordHashing


def cheap_hashing() -> PasswordHashing:
    return PasswordHashing(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
