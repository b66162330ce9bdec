from __future__ import annotations

from elea.errors import EleaError


class MailDeliveryFailed(EleaError):
    """The e-mail could not be handed to the mail service; the caller records it so it can be re-sent."""

    code = "mail_delivery_failed"

    def __init__(self, *, reason: str) -> None:
        super().__init__(
            f"Le courriel n'a pas pu être envoyé ({reason}).",
            hint="Il est conservé : renvoyez-le plus tard avec « elea-import report resend IDENTIFIANT ».",
        )
        self.reason = reason


class ReportMailNotFound(EleaError):
    code = "report_mail_not_found"
