"""What a school's imports last saw or wrote of each account on its roster, so the next import need not read
every account in Moodle again.

On Moodle 4.5, core_user_get_users_by_field costs about 4 ms of Moodle's CPU per user, whatever the batch:
an unchanged re-import of 500 people spent most of its time there. A mark is a FINGERPRINT of the fields an
import compares (login, Id, names, profile, status, origin), keyed by Moodle user id. It holds no field itself,
so no name or login leaves Moodle for the service's store. Moodle stays the truth:
- an account whose mark matches what the file wants is not read, except in its verification turn: every
  account of the roster is read at least once in every `ACCOUNTS_CHECKED_EVERY` imports of the school, so a
  change made by hand in Moodle is noticed (and repaired) within that many imports, at no extra call;
- an account without a mark, whose mark differs from what the file wants, or that the file no longer lists,
  is read at this import, as before;
- memberships are never marked: the import reads the school's cohorts' members at every import, so a
  membership changed by hand is noticed at the next import;
- a mark is written only after Moodle accepted the write it describes; a lost or stale mark costs a read,
  never a wrong outcome beyond the verification turn.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from elea.ports.platform import Account

# Every account of a roster is read at least once in this many imports of its school.
ACCOUNTS_CHECKED_EVERY = 4


@dataclass(frozen=True)
class SchoolMarks:
    """A school's marks: how many of its imports recorded them (the verification turn), and the mark of each
    account of its roster (Moodle user id → fingerprint)."""

    rounds: int = 0
    marks: Mapping[int, str] = field(default_factory=dict)

    def is_checked_now(self, account_id: int, every: int) -> bool:
        """Whether this account is in this import's verification turn (every account once in `every`)."""
        return account_id % every == self.rounds % every


class AccountMarks(Protocol):
    def read(self, uai: str) -> SchoolMarks | None:
        """The school's marks (those recorded since the last `record` merged in: one value each; an account
        given two different values, or forgotten, has none), strongly consistent. None: none kept."""
        ...

    def record(self, uai: str, marks: SchoolMarks) -> None:
        """Replaces the school's marks: the Classes step's, its school's lease held."""
        ...

    def note(self, uai: str, marks: Mapping[int, str | None]) -> None:
        """Marks of accounts written since (None: forget the account's mark), merged at the next `read`. Safe
        when several steps of one import note at once."""
        ...


def merged(recorded: Mapping[int, str], noted: Iterable[tuple[int, str | None]]) -> dict[int, str]:
    """The marks as of now: those recorded, then what was noted since (None: forgotten). An account noted
    with one value takes it; noted twice with two values, or forgotten, it has no mark (it is read)."""
    marks = dict(recorded)
    values: dict[int, set[str | None]] = {}
    for account_id, mark in noted:
        values.setdefault(account_id, set()).add(mark)
    for account_id, seen in values.items():
        value = next(iter(seen)) if len(seen) == 1 else None
        if value is None:
            marks.pop(account_id, None)
        else:
            marks[account_id] = value
    return marks


def fingerprint(account: Account) -> str:
    """The fingerprint of what an import compares in an account. A username compares without case (Moodle
    lowercases it); memberships, e-mail and the platform's id are not part of it."""
    compared = [
        account.username.lower(),
        account.ent_id or "",
        account.last_name,
        account.first_name,
        account.profile.value if account.profile is not None else "",
        account.status.value,
        account.origin.value,
    ]
    digest = hashlib.sha256(json.dumps(compared, ensure_ascii=False).encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode("ascii")
