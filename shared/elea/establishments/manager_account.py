"""The establishment's local management account on its basin platform: username = UAI, flagged."""

from __future__ import annotations

from elea.establishments.establishment import Establishment
from elea.ports.platform import Account, AccountChange, AccountOrigin, AccountStatus, Platform

MANAGER_FIRST_NAME = "Gestionnaire"


def find_manager_account(platform: Platform, uai: str) -> Account | None:
    # Platforms may store usernames in lower case (Moodle does): compare without case.
    wanted = uai.casefold()
    return next(
        (
            a
            for a in platform.accounts(uai)
            if a.origin is AccountOrigin.LOCAL_MANAGER and a.username.casefold() == wanted
        ),
        None,
    )


def ensure_manager_account(platform: Platform, establishment: Establishment, *, mailbox: str) -> Account:
    """Creates the account, pending activation, when it is missing; an existing one keeps its status."""
    existing = find_manager_account(platform, establishment.uai)
    if existing is not None:
        if existing.last_name == establishment.name:
            return existing
        renamed = existing.model_copy(update={"last_name": establishment.name})
        platform.write_accounts(establishment.uai, [AccountChange(before=existing, after=renamed)])
        return renamed
    account = Account(
        username=establishment.uai,
        ent_id=None,
        last_name=establishment.name,
        first_name=MANAGER_FIRST_NAME,
        profile=None,
        # LOCAL_MANAGER makes it flagged: no import ever modifies or suspends it.
        origin=AccountOrigin.LOCAL_MANAGER,
        status=AccountStatus.PENDING_ACTIVATION,
        email=mailbox,
    )
    platform.write_accounts(establishment.uai, [AccountChange(before=None, after=account)])
    return account


def set_manager_status(platform: Platform, uai: str, status: AccountStatus) -> None:
    account = find_manager_account(platform, uai)
    if account is not None and account.status is not status:
        platform.write_accounts(
            uai, [AccountChange(before=account, after=account.model_copy(update={"status": status}))]
        )
