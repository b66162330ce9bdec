from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Issue(BaseModel):
    """A problem on one line of the file. `message` is French and holds no personal data."""

    model_config = ConfigDict(frozen=True)

    line: int | None
    column: str | None = None
    severity: Severity
    code: str
    message: str
