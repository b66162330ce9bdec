"""The record of an import's report e-mail: kept before sending, so a failure is never silently lost."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from elea.mail.import_summary import ImportSummary


class MailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class ReportMailEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    summary: ImportSummary
    status: MailStatus = MailStatus.PENDING
    attempts: int = 0
    last_error: str | None = None  # an error code from the mail service, never message content
    message_id: str | None = None
    updated_at: datetime | None = None
