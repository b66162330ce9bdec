"""Where each import's report e-mail is recorded (what to say, whether it went), for `report resend`."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from elea.mail.import_summary import ImportSummary
from elea.mail.report_mail_entry import ReportMailEntry


class ReportMailLog(Protocol):
    def record(self, summary: ImportSummary, *, at: datetime) -> ReportMailEntry:
        """Keeps the summary (pending) unless this import already has an entry, which is returned as it is."""
        ...

    def get(self, import_id: str) -> ReportMailEntry | None: ...

    def mark_sent(self, import_id: str, *, message_id: str, at: datetime) -> None: ...

    def mark_failed(self, import_id: str, *, reason: str, at: datetime) -> None: ...
