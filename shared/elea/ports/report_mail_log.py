"""Where the outcome of each import's report e-mail is recorded (on the import record in AWS)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class ReportMailLog(Protocol):
    def mark_sent(self, import_id: str, *, message_id: str, at: datetime) -> None: ...

    def mark_failed(self, import_id: str, *, reason: str, at: datetime) -> None: ...
