"""Users step: initial passwords for the chunk's SIECLE people, who have no ENT single sign-on.

The clear passwords are staged (encrypted bucket, staging lifecycle, deleted by the report step) as a
fragment per chunk BEFORE the accounts are written and the hashes stored: a retried chunk reuses the
fragment instead of issuing passwords nobody would ever see. The report step turns the fragments into
the « fiches de connexion ».
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import TypeAdapter

from elea.credentials.hashing import PasswordHashing
from elea.credentials.local_passwords import (
    LocalAccountHolder,
    PasswordRenewal,
    new_local_passwords,
    store_password_hashes,
)
from elea.credentials.login_sheets import NO_CLASS, LoginSheetRow
from elea.models.outcome import Outcome
from elea.models.person import Person
from elea.ports.platform import Account
from elea.ports.staging import StagingStore
from elea.ports.user_password_store import UserPasswordStore

_ROWS = TypeAdapter(list[LoginSheetRow])
_JSON = "application/json"
# Under REGENERATE, everyone the import keeps gets a new password; these outcomes are "kept".
_KEPT = frozenset({Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED})


def sheet_fragment_key(staging_prefix: str, chunk_index: int) -> str:
    return f"{staging_prefix}login-sheets/chunk-{chunk_index:05d}.json"


def read_sheet_fragment(staging: StagingStore, key: str) -> list[LoginSheetRow] | None:
    body = staging.get(key)
    return None if body is None else _ROWS.validate_json(body)


class ChunkPasswordIssuer:
    def __init__(
        self,
        *,
        passwords: UserPasswordStore,
        hashing: PasswordHashing,
        staging: StagingStore,
        renewal: PasswordRenewal,
    ) -> None:
        self._passwords = passwords
        self._hashing = hashing
        self._staging = staging
        self._renewal = renewal

    def issue(
        self,
        *,
        uai: str,
        staging_prefix: str,
        chunk_index: int,
        people: Sequence[Person],
        outcomes: Sequence[Outcome],
        created: Sequence[Account],
        known: Sequence[Account],
    ) -> list[LoginSheetRow]:
        """`outcomes` are the chunk's, in `people` order; `created` the accounts about to be created, `known`
        the chunk's accounts as the platform showed them. Returns the chunk's sheet rows (the passwords go
        with the accounts' writes: Moodle gets them too)."""
        key = sheet_fragment_key(staging_prefix, chunk_index)
        rows = read_sheet_fragment(self._staging, key)
        if rows is None:
            holders = self._holders(uai, people, outcomes, created, known)
            rows = new_local_passwords(uai, holders, store=self._passwords, renewal=self._renewal)
            if not rows:
                return []
            self._staging.put(key, _ROWS.dump_json(rows), _JSON)
        store_password_hashes(uai, rows, store=self._passwords, hashing=self._hashing)
        return rows

    def _holders(
        self,
        uai: str,
        people: Sequence[Person],
        outcomes: Sequence[Outcome],
        created: Sequence[Account],
        known: Sequence[Account],
    ) -> list[LocalAccountHolder]:
        # People without an ENT login came from SIECLE (or STS): their accounts are local.
        wanted = {Outcome.CREATED} if self._renewal is PasswordRenewal.KEEP_EXISTING else _KEPT
        local = [p for p, o in zip(people, outcomes, strict=True) if not p.has_ent_login and o in wanted]
        if not local:
            return []
        usernames = {a.ent_id: a.username for a in created if a.ent_id is not None}
        if self._renewal is PasswordRenewal.REGENERATE:
            # Kept accounts are not in the plan's writes: their usernames are in the chunk's slice.
            usernames = {a.ent_id: a.username for a in known if a.ent_id is not None} | usernames
        return [
            LocalAccountHolder(
                username=usernames[person.id],
                class_name=person.classes[0] if person.classes else NO_CLASS,
                last_name=person.last_name,
                first_name=person.first_name,
            )
            for person in local
            if person.id in usernames
        ]
