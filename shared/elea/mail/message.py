"""A rendered e-mail, before it meets a transport (SES, or a .eml file locally)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class MailKind(StrEnum):
    ACTIVATION = "activation"
    IMPORT_REPORT = "import_report"
    IMPORT_FAILURE = "import_failure"


class MailMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: MailKind
    uai: str  # whose mailbox this goes to; `to` is always derived from it
    to: str
    subject: str
    text: str
    html: str
