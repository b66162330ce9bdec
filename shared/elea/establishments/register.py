"""Registering an establishment: the registry entry, its management account and the activation e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from elea.credentials.issue import issue_activation
from elea.credentials.manager_credential import ManagerStatus
from elea.establishments.errors import EstablishmentPlatformChanged
from elea.establishments.establishment import Establishment
from elea.establishments.manager_account import check_manager_username_free, ensure_manager_account
from elea.establishments.services import RegistryServices


class RegistrationOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Registration:
    uai: str
    outcome: RegistrationOutcome
    changed_fields: tuple[str, ...]
    activation_sent: bool
    platform_url: str
    mailbox: str


def register_establishment(establishment: Establishment, services: RegistryServices) -> Registration:
    """Idempotent: the same data twice changes nothing and sends no second e-mail.

    Each step checks what is already there, so a run cut off part-way is completed by running it again;
    an activation e-mail that never went out is issued again then.
    """
    academy = services.academy
    existing = services.establishments.get(establishment.uai)
    if existing is not None and academy.platform_id(existing) != academy.platform_id(establishment):
        # The account lives on the old basin platform: moving it is a decision for a person, not a bulk load.
        raise EstablishmentPlatformChanged(
            f"L'établissement {establishment.uai} est déjà inscrit sur la plateforme {academy.platform_url(existing)} "
            f"(département {existing.department}, bassin {existing.basin}) ; le changement de bassin n'est pas "
            "appliqué automatiquement.",
            hint="Vérifiez le département et le bassin ; un changement réel de bassin se traite avec le support.",
        )
    platform = services.platforms(academy.platform_id(establishment))
    # Refused before anything is written: the registry never names a school whose account cannot exist.
    check_manager_username_free(platform, establishment)
    changed = _changed_fields(existing, establishment)
    if existing is None or changed:
        services.establishments.put(establishment)
    mailbox = academy.mailbox(establishment.uai)
    ensure_manager_account(platform, establishment, mailbox=mailbox)

    credential = services.credentials.manager(establishment.uai)
    needs_activation = credential is None or (
        credential.status is ManagerStatus.PENDING_ACTIVATION and credential.mail_sent_at is None
    )
    if needs_activation:
        issue_activation(establishment, services)
    outcome = (
        RegistrationOutcome.CREATED
        if existing is None
        else RegistrationOutcome.UPDATED
        if changed
        else RegistrationOutcome.UNCHANGED
    )
    return Registration(
        uai=establishment.uai,
        outcome=outcome,
        changed_fields=changed,
        activation_sent=needs_activation,
        platform_url=academy.platform_url(establishment),
        mailbox=mailbox,
    )


def _changed_fields(before: Establishment | None, after: Establishment) -> tuple[str, ...]:
    if before is None:
        return ()
    return tuple(
        field
        for field in ("name", "department", "basin", "dry_run_default")
        if getattr(before, field) != getattr(after, field)
    )
