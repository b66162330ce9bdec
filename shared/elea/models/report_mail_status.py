"""Whether an import's report e-mail went out: kept on the import record, never silently lost."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class MailStatus(StrEnum):
    SENT = "sent"
    FAILED = "failed"  # to re-send with `elea-import report resend IMPORT_ID`


class ReportMailStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: MailStatus
    attempts: int
    updated_at: datetime
    message_id: str | None = None
    last_error: str | None = None  # the mail service's error code, never message content
