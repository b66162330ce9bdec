"""Initial passwords for new local accounts (SIECLE people), which become the « fiches de connexion »."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from elea.credentials.hashing import PasswordHashing
from elea.credentials.login_sheets import LoginSheetRow
from elea.credentials.passwords import generate_password
from elea.ports.user_password_store import UserPasswordStore

STUDENT_PASSWORD_LENGTH = 12  # the policy's minimum: typed by children from a paper sheet


class PasswordRenewal(StrEnum):
    KEEP_EXISTING = "keep_existing"  # default: a re-import leaves existing passwords alone
    REGENERATE = "regenerate"  # every account of the import gets a new one (new sheets to hand out)


class LocalAccountHolder(BaseModel):
    """A local account the import made or kept, as the sheet needs it (never logged)."""

    model_config = ConfigDict(frozen=True)

    username: str
    class_name: str
    last_name: str
    first_name: str


def new_local_passwords(
    uai: str,
    holders: Sequence[LocalAccountHolder],
    *,
    store: UserPasswordStore,
    renewal: PasswordRenewal = PasswordRenewal.KEEP_EXISTING,
    generate: Callable[[], str] = lambda: generate_password(STUDENT_PASSWORD_LENGTH),
) -> list[LoginSheetRow]:
    """The clear passwords, once, for the sheets: KEEP_EXISTING gives one only to accounts that have
    none (the new ones), REGENERATE to all. Nothing is stored here (see store_password_hashes)."""
    if not holders:
        return []  # nobody to give a password to (an ENT file): nothing to look up
    existing = store.usernames_with_password(uai) if renewal is PasswordRenewal.KEEP_EXISTING else set()
    return [
        LoginSheetRow(
            class_name=holder.class_name,
            last_name=holder.last_name,
            first_name=holder.first_name,
            username=holder.username,
            password=generate(),
        )
        for holder in holders
        if holder.username not in existing
    ]


def store_password_hashes(
    uai: str, rows: Sequence[LoginSheetRow], *, store: UserPasswordStore, hashing: PasswordHashing
) -> None:
    """Only argon2id hashes are kept. Idempotent: storing the same rows again is harmless."""
    if rows:
        store.put_hashes(uai, {row.username: hashing.hash(row.password) for row in rows})


def issue_local_passwords(
    uai: str,
    holders: Sequence[LocalAccountHolder],
    *,
    store: UserPasswordStore,
    hashing: PasswordHashing,
    renewal: PasswordRenewal = PasswordRenewal.KEEP_EXISTING,
) -> list[LoginSheetRow]:
    """new_local_passwords then store_password_hashes, for callers with nothing to keep in between."""
    rows = new_local_passwords(uai, holders, store=store, renewal=renewal)
    store_password_hashes(uai, rows, store=store, hashing=hashing)
    return rows
