"""The establishment's local management account on its basin platform: username = UAI, flagged."""

from __future__ import annotations

from elea.domain.identity import identity_key
from elea.establishments.errors import ManagerUsernameTaken
from elea.establishments.establishment import Establishment
from elea.ports.platform import Account, AccountChange, AccountOrigin, AccountStatus, Platform

MANAGER_FIRST_NAME = "Gestionnaire"


def find_manager_account(platform: Platform, uai: str) -> Account | None:
    # Platforms may store usernames in lower case (Moodle does): compare as one identity.
    wanted = identity_key(uai)
    return next(
        (
            a
            for a in platform.accounts(uai)
            if a.origin is AccountOrigin.LOCAL_MANAGER and identity_key(a.username) == wanted
        ),
        None,
    )


def check_manager_username_free(platform: Platform, establishment: Establishment) -> None:
    """Raises ManagerUsernameTaken when another account already holds the UAI as its username."""
    if find_manager_account(platform, establishment.uai) is not None:
        return
    if platform.find_accounts([establishment.uai]):
        # Never a second account with the same username: a person has to see which account holds it.
        raise ManagerUsernameTaken(
            f"Inscription de l'établissement {establishment.uai} refusée : l'identifiant {establishment.uai} de son "
            "compte de gestion est déjà utilisé par un autre compte de la plateforme. Rien n'a été enregistré.",
            hint="Signalez-le à l'administrateur de la plateforme : le compte qui porte cet identifiant doit être "
            "renommé avant l'inscription.",
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
    check_manager_username_free(platform, establishment)
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
