"""Issuing the management account's initial password and activation link, then e-mailing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from elea.credentials.manager_credential import ManagerCredential, ManagerStatus
from elea.credentials.passwords import generate_password
from elea.credentials.tokens import new_activation_token, token_digest
from elea.establishments.establishment import Establishment
from elea.establishments.services import RegistryServices
from elea.mail.activation_mail import activation_message
from elea.observability import logger


@dataclass(frozen=True)
class IssuedActivation:
    uai: str
    expires_at: datetime
    message_id: str


def issue_activation(establishment: Establishment, services: RegistryServices) -> IssuedActivation:
    """A new password and token replace the previous ones (the old link stops working), then the e-mail goes.

    The clear password and token exist only in memory and in the e-mail; the store keeps their hashes.
    If sending fails, the credential stays "mail not sent" and the next registration or resend issues anew.
    """
    now = services.clock()
    previous = services.credentials.manager(establishment.uai)
    password = generate_password()
    token = new_activation_token()
    digest = token_digest(token)
    expires_at = now + services.activation_ttl
    credential = ManagerCredential(
        uai=establishment.uai,
        password_hash=services.hashing.hash(password),
        status=ManagerStatus.PENDING_ACTIVATION,
        token_digest=digest,
        token_expires_at=expires_at,
        issued_at=now,
    )
    services.credentials.save_issued(
        credential, replaced_token_digest=previous.token_digest if previous is not None else None
    )
    message = activation_message(establishment, services.academy, password=password, token=token, expires_at=expires_at)
    message_id = services.mailer.send(message)
    services.credentials.mark_mail_sent(establishment.uai, token_digest=digest, at=services.clock())
    logger.info("activation e-mail sent", extra={"uai": establishment.uai})
    return IssuedActivation(uai=establishment.uai, expires_at=expires_at, message_id=message_id)
