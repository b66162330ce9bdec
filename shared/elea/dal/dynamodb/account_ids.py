"""The id an adapter gives a new account, derived from what identifies it so a retried creation is a no-op."""

from __future__ import annotations

import hashlib

ACCOUNT_ID_PREFIX = "acc-"


def new_account_id(uai: str, ent_id: str | None, username: str) -> str:
    """Opaque and stable: the same person created twice in the same UAI gets the same id.

    Imported accounts always have an ent_id; only hand-made ones (the school's management account,
    username = UAI, never renamed) are identified by their username.
    """
    source = f"{uai}\x1fent\x1f{ent_id}" if ent_id is not None else f"{uai}\x1fusername\x1f{username.lower()}"
    return ACCOUNT_ID_PREFIX + hashlib.sha256(source.encode()).hexdigest()[:24]
