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
    # The row's ENT/SIECLE Id when it could be read: an erroneous row still counts as present,
    # so its account is not suspended. An opaque id, never a name or login.
    person_id: str | None = None
    # Issue 8, item 7: who the row is, so the manager can act once the export is deleted. Only in the
    # report (report.json/report.csv, under the report retention), never in a message, a log or a metric.
    last_name: str | None = None
    first_name: str | None = None
    class_name: str | None = None
