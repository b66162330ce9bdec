"""One row of report.json's `rows` (issue 8, item 7): who, what happened, what changed.

The person's name and class are for the report only (reports/, under the template's retention), so a
manager can act once the export is deleted; never in a log, a metric or an exception message."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from elea.models.person import Profile


class ReportPersonRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    line: int | None
    id: str | None
    last_name: str | None = None
    first_name: str | None = None
    class_name: str | None = None
    profile: Profile | None = None
    # created, updated, unchanged, protected, suspended, skipped, error, warning, held
    outcome: str
    changed_fields: list[str] = []
    message: str = ""


class ReportClass(BaseModel):
    """A class of the file and how many of its people the report lists."""

    model_config = ConfigDict(frozen=True)

    name: str
    members: int
