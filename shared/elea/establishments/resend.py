"""`elea-import establishment resend UAI`: a new activation link and password; the old link stops working."""

from __future__ import annotations

from elea.credentials.issue import IssuedActivation, issue_activation
from elea.domain.uai import validate_uai
from elea.establishments.errors import EstablishmentNotRegistered
from elea.establishments.manager_account import ensure_manager_account, set_manager_status
from elea.establishments.services import RegistryServices
from elea.ports.platform import AccountStatus


def resend_activation(uai: str, services: RegistryServices) -> IssuedActivation:
    """Also a reset: an already active account goes back to "pending activation" with the new password."""
    uai = validate_uai(uai)
    establishment = services.establishments.get(uai)
    if establishment is None:
        raise EstablishmentNotRegistered(
            f"L'établissement {uai} n'est pas inscrit.",
            hint="Inscrivez-le d'abord avec « elea-import establishment add ».",
        )
    academy = services.academy
    platform = services.platforms(academy.platform_id(establishment))
    ensure_manager_account(platform, establishment, mailbox=academy.mailbox(uai))
    issued = issue_activation(establishment, services)
    set_manager_status(platform, uai, AccountStatus.PENDING_ACTIVATION)
    return issued
