"""The id an adapter gives a new account, derived from what identifies it so a retried creation is a no-op."""

from __future__ import annotations

import hashlib

ACCOUNT_ID_PREFIX = "acc-"


def new_account_id(ent_id: str | None, username: str) -> str:
    """Opaque and stable: the same person created twice gets the same id, whichever school creates it
    (one account per person on a platform, however many schools list it).

    Imported accounts always have an ent_id; only hand-made ones (the school's management account,
    username = UAI, never renamed) are identified by their username.
    """
    source = f"ent\x1f{ent_id}" if ent_id is not None else f"username\x1f{username.lower()}"
    return ACCOUNT_ID_PREFIX + hashlib.sha256(source.encode()).hexdigest()[:24]
