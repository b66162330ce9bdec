"""In-memory ReportMailLog."""

from __future__ import annotations

from datetime import datetime

from elea.mail.import_summary import ImportSummary
from elea.mail.report_mail_entry import MailStatus, ReportMailEntry


class InMemoryReportMailLog:
    def __init__(self) -> None:
        self.entries: dict[str, ReportMailEntry] = {}

    def record(self, summary: ImportSummary, *, at: datetime) -> ReportMailEntry:
        if summary.import_id not in self.entries:
            self.entries[summary.import_id] = ReportMailEntry(summary=summary, updated_at=at)
        return self.entries[summary.import_id]

    def get(self, import_id: str) -> ReportMailEntry | None:
        return self.entries.get(import_id)

    def mark_sent(self, import_id: str, *, message_id: str, at: datetime) -> None:
        entry = self.entries[import_id]
        self.entries[import_id] = entry.model_copy(
            update={
                "status": MailStatus.SENT,
                "attempts": entry.attempts + 1,
                "message_id": message_id,
                "updated_at": at,
                "last_error": None,
            }
        )

    def mark_failed(self, import_id: str, *, reason: str, at: datetime) -> None:
        entry = self.entries[import_id]
        self.entries[import_id] = entry.model_copy(
            update={"status": MailStatus.FAILED, "attempts": entry.attempts + 1, "last_error": reason, "updated_at": at}
        )
