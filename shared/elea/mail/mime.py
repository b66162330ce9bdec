"""The MIME form of a message: what SES sends and what a local run writes as .eml, byte for byte alike."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from elea.mail.message import MailMessage


def build_mime(message: MailMessage, *, sender: str) -> EmailMessage:
    mime = EmailMessage(policy=SMTP)
    mime["From"] = sender
    mime["To"] = message.to
    mime["Subject"] = message.subject
    mime["Date"] = formatdate(usegmt=True)
    mime["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # Lets operators filter by kind without reading the body.
    mime["X-Elea-Kind"] = message.kind.value
    mime.set_content(message.text, charset="utf-8", cte="quoted-printable")
    mime.add_alternative(message.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return mime
