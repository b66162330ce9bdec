"""The report e-mail's outcome, kept on the import record itself (so it survives every later save)."""

from __future__ import annotations

from datetime import datetime

from elea.mail.errors import ReportMailNotFound
from elea.models.report_mail_status import MailStatus
from elea.ports.import_store import ImportStore


class ImportRecordMailLog:
    def __init__(self, imports: ImportStore) -> None:
        self._imports = imports

    def mark_sent(self, import_id: str, *, message_id: str, at: datetime) -> None:
        self._record(import_id, MailStatus.SENT, at, message_id=message_id, last_error=None)

    def mark_failed(self, import_id: str, *, reason: str, at: datetime) -> None:
        self._record(import_id, MailStatus.FAILED, at, message_id=None, last_error=reason)

    def _record(
        self, import_id: str, status: MailStatus, at: datetime, *, message_id: str | None, last_error: str | None
    ) -> None:
        # One conditional update, no read: the outcome lives beside the record document, so no later save
        # of the record (by its owner) overwrites it.
        recorded = self._imports.record_report_mail(
            import_id, status=status, at=at, message_id=message_id, last_error=last_error
        )
        if not recorded:
            raise ReportMailNotFound(f"Aucune importation n'est enregistrée sous la référence {import_id}.")
