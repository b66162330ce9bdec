"""The Classes step's one read of the school, cut into each Users chunk's slice (staged beside the chunks).

Against Moodle a read of the school costs a few web-service calls; re-reading it in every chunk would cost
N²/chunk. So the school is read once, after its cohorts are synchronised, and each chunk gets only the
accounts its people may match (by Id, or by login for an account made before Ids were known); the whole
read is staged too, for the Deprovision step (the accounts absent from the file are in no chunk's slice).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from elea.logic.staging_layout import StagedImport
from elea.models.parse_manifest import ChunkRef
from elea.models.person import Person
from elea.ports.platform import Account


def stage_school_accounts(
    staged: StagedImport,
    chunks: Sequence[ChunkRef],
    accounts: Sequence[Account],
    people: Mapping[int, Sequence[Person]],
) -> None:
    """`people`: each chunk's people, by chunk index (the Classes step reads them once, for the read too)."""
    by_ent_id: dict[str, list[Account]] = {}
    by_username: dict[str, list[Account]] = {}
    for account in accounts:
        if account.ent_id is not None:
            by_ent_id.setdefault(account.ent_id, []).append(account)
        by_username.setdefault(account.username.lower(), []).append(account)
    for chunk in chunks:
        slice_: dict[str | None, Account] = {}
        for person in people[chunk.index]:
            for login in (person.login, person.proposed_username):
                for account in by_username.get((login or "").lower(), []):
                    slice_.setdefault(account.account_id, account)
            for account in by_ent_id.get(person.id, []):
                slice_.setdefault(account.account_id, account)
        staged.write_accounts(staged.accounts_key(chunk.index), list(slice_.values()))
    staged.write_accounts(staged.school_accounts_key, accounts)
