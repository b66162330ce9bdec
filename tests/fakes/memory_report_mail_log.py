"""In-memory ReportMailLog and ImportSummaries: the report e-mail's outcome and content per import."""

from __future__ import annotations

from datetime import datetime

from elea.mail.import_summary import ImportSummary
from elea.models.report_mail_status import MailStatus, ReportMailStatus


class InMemoryReportMailLog:
    def __init__(self) -> None:
        self.statuses: dict[str, ReportMailStatus] = {}

    def mark_sent(self, import_id: str, *, message_id: str, at: datetime) -> None:
        self._set(import_id, MailStatus.SENT, at, message_id=message_id, last_error=None)

    def mark_failed(self, import_id: str, *, reason: str, at: datetime) -> None:
        self._set(import_id, MailStatus.FAILED, at, message_id=None, last_error=reason)

    def _set(self, import_id: str, status: MailStatus, at: datetime, **fields: str | None) -> None:
        previous = self.statuses.get(import_id)
        attempts = (previous.attempts if previous else 0) + 1
        self.statuses[import_id] = ReportMailStatus(status=status, attempts=attempts, updated_at=at, **fields)


class InMemoryImportSummaries:
    def __init__(self) -> None:
        self.summaries: dict[str, ImportSummary] = {}

    def summary(self, import_id: str) -> ImportSummary | None:
        return self.summaries.get(import_id)
