"""The activation e-mail of an establishment's local management account."""

from __future__ import annotations

from datetime import datetime

from elea.establishments.academy import AcademySettings
from elea.establishments.establishment import Establishment
from elea.mail.message import MailKind, MailMessage
from elea.mail.rendering import render


def activation_message(
    establishment: Establishment, academy: AcademySettings, *, password: str, token: str, expires_at: datetime
) -> MailMessage:
    """The only e-mail that carries a password: the management account's initial one, as the procedure asks."""
    mailbox = academy.mailbox(establishment.uai)
    subject = f"Éléa : activez le compte de gestion de votre établissement ({establishment.uai})"
    context = {
        "subject": subject,
        "name": establishment.name,
        "uai": establishment.uai,
        "mailbox": mailbox,
        "platform_url": academy.platform_url(establishment),
        "activation_link": academy.activation_link(token),
        "password": password,
        "expires_at": expires_at,
    }
    return MailMessage(
        kind=MailKind.ACTIVATION,
        uai=establishment.uai,
        to=mailbox,
        subject=subject,
        text=render("activation.txt.j2", **context),
        html=render("activation.html.j2", **context),
    )
