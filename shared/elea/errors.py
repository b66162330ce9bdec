"""Domain errors: a stable English code for machines, a French message for people.

Messages never carry personal data (names, logins, birth dates): only file names,
line numbers, counts and opaque ids.
"""

from __future__ import annotations


class EleaError(Exception):
    """Base of every error we report to a user instead of a traceback."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.hint = hint

    def to_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "hint": self.hint}

    def __str__(self) -> str:
        return f"{self.message} ({self.code})"


class RosterRefused(EleaError):
    """The whole file is refused: nothing from it is imported."""

    code = "roster_refused"

    def __init__(
        self,
        message: str,
        *,
        code: str,
        file: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, code=code, hint=hint)
        self.file = file
        self.line = line

    def to_dict(self) -> dict[str, str | None]:
        data = super().to_dict()
        data["file"] = self.file
        data["line"] = None if self.line is None else str(self.line)
        return data


class InvalidUai(EleaError):
    code = "invalid_uai"


class UaiMismatch(EleaError):
    """A file dropped for one school names another: it must never touch the other school."""

    code = "uai_mismatch"


class PlatformError(EleaError):
    """The platform (DynamoDB today, Moodle tomorrow) failed; adapters raise this, never ClientError."""

    code = "platform_error"


class ConcurrentChange(PlatformError):
    """A conditional write lost a race; the step is safe to retry."""

    code = "concurrent_change"


class PlatformUnavailable(PlatformError):
    """The platform did not answer (network error, timeout, HTTP 5xx) after the adapter's own retries.

    Its class name is what Step Functions matches: the ASL retries it with a longer back-off, then the
    failure report tells the school « la plateforme Éléa n'a pas répondu »."""

    code = "platform_unavailable"


class SchoolImportBusy(EleaError):
    """Another import of the same school holds its lease: this one waits (the ASL retries the step)."""

    code = "school_import_busy"
