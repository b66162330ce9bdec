"""A Mailer that keeps what it is given, and can be told to fail."""

from __future__ import annotations

from elea.mail.errors import MailDeliveryFailed
from elea.mail.message import MailMessage


class InMemoryMailer:
    def __init__(self) -> None:
        self.sent: list[MailMessage] = []
        self.failures_to_come = 0

    def send(self, message: MailMessage) -> str:
        if self.failures_to_come:
            self.failures_to_come -= 1
            raise MailDeliveryFailed(reason="Throttling")
        self.sent.append(message)
        return f"message-{len(self.sent)}"
