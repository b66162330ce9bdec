"""For local runs: every e-mail that was sent is also written as a .eml file a new user can open."""

from __future__ import annotations

from pathlib import Path

from elea.mail.message import MailMessage
from elea.mail.mime import build_mime
from elea.ports.mailer import Mailer


class EmlCopyMailer:
    """Wraps another Mailer (SES on moto locally): sends, then writes `{n}-{kind}-{uai}.eml` under `directory`."""

    def __init__(self, inner: Mailer, directory: Path, *, sender: str) -> None:
        self._inner = inner
        self._directory = directory
        self._sender = sender
        self.written: list[Path] = []

    def send(self, message: MailMessage) -> str:
        message_id = self._inner.send(message)
        self._directory.mkdir(parents=True, exist_ok=True)
        number = len(list(self._directory.glob("*.eml"))) + 1
        path = self._directory / f"{number:04d}-{message.kind.value}-{message.uai}.eml"
        mime = build_mime(message, sender=self._sender)
        mime["X-SES-Message-ID"] = message_id
        path.write_bytes(mime.as_bytes())
        self.written.append(path)
        return message_id
