"""Sending e-mails (SES in AWS; SES plus a .eml copy locally)."""

from __future__ import annotations

from typing import Protocol

from elea.mail.message import MailMessage


class Mailer(Protocol):
    def send(self, message: MailMessage) -> str:
        """Sends the message and returns the service's message id; raises elea.mail.errors.MailDeliveryFailed."""
        ...
