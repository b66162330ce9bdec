"""Why an import did not complete: what the failure report records and shows the manager."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from elea.models.written_before_failure import WrittenBeforeFailure, what_was_written


class ImportFailure(BaseModel):
    """A stable English code and a French message. Never personal data: the file name, a line
    number and what to do at most."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    hint: str | None = None
    # Set when the failure came after the platform could have been written to (issue 9, item 6).
    written: WrittenBeforeFailure | None = None

    def what_was_written(self) -> list[str]:
        return what_was_written(self.written)


class StepError(BaseModel):
    """What a Step Functions Catch puts at ResultPath: the error name and its cause.

    The cause can hold a stack trace and so, in principle, data from the file: it is never stored
    or shown, only the error name is used."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    error: str = Field(alias="Error")
    cause: str | None = Field(default=None, alias="Cause")
