"""What the report e-mail says about one import: counts, codes and line numbers, never names or logins."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from elea.establishments.establishment import Establishment
from elea.models.issue import Issue, Severity
from elea.models.written_before_failure import NOTHING_WRITTEN

MAX_ISSUES_IN_MAIL = 20


class ReportCounts(BaseModel):
    """Same keys as the `counts` of the import report JSON."""

    model_config = ConfigDict(frozen=True)

    created: int = Field(default=0, ge=0)
    updated: int = Field(default=0, ge=0)
    unchanged: int = Field(default=0, ge=0)
    protected: int = Field(default=0, ge=0)
    suspended: int = Field(default=0, ge=0)
    skipped: int = Field(default=0, ge=0)
    errors: int = Field(default=0, ge=0)


class CohortCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    created: int = Field(default=0, ge=0)
    unchanged: int = Field(default=0, ge=0)
    emptied: int = Field(default=0, ge=0)


class ReportedIssue(BaseModel):
    """A row problem as the manager can act on it: the line of their own file, a code, a French message."""

    model_config = ConfigDict(frozen=True)

    line: int | None
    code: str
    message: str


class ReportedFailure(BaseModel):
    """Why a whole import failed (the refusal or the technical error), in French."""

    model_config = ConfigDict(frozen=True)

    code: str  # for logs and support, never shown in the e-mail
    message: str
    hint: str | None = None
    line: int | None = None
    # What the platform already holds from this import: never « aucun compte modifié » after writes.
    what_was_written: tuple[str, ...] = (NOTHING_WRITTEN,)


class ReportedNotice(BaseModel):
    """What the manager should know although nothing was held (« ce fichier est identique à celui de la
    dernière importation »), as report.json's `notices` say it."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    hint: str | None = None


class ReportedClassSpelling(BaseModel):
    """A class of the file kept under an existing cohort spelled otherwise: class names only (not personal)."""

    model_config = ConfigDict(frozen=True)

    file_class: str
    cohort_name: str


class ImportSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    import_id: str
    uai: str
    counts: ReportCounts = ReportCounts()
    cohorts: CohortCounts = CohortCounts()
    held: int = Field(default=0, ge=0)  # suspensions held for validation (not applied)
    first_issues: tuple[ReportedIssue, ...] = ()
    issue_count: int = Field(default=0, ge=0)  # all issues, of which only the first are listed
    report_key: str | None = None  # per-row CSV under reports/{UAI}/{import_id}/
    login_sheets_key: str | None = None  # "fiches de connexion" (printable HTML), SIECLE imports only
    login_sheets_csv_key: str | None = None
    login_sheet_count: int = Field(default=0, ge=0)
    export_deleted: bool
    failure: ReportedFailure | None = None
    # Issue 9: the checks the file failed before suspending; while there is one, every suspension is held.
    checks: tuple[ReportedFailure, ...] = ()
    # Issue 9, as the report and the page show them: the notices and the classes kept under another spelling.
    notices: tuple[ReportedNotice, ...] = ()
    class_spellings: tuple[ReportedClassSpelling, ...] = ()
    # The school as the import read it from the registry; None: the e-mail reads the registry itself.
    establishment: Establishment | None = None

    @property
    def succeeded(self) -> bool:
        return self.failure is None


def reported_issues(
    issues: Iterable[Issue], *, limit: int = MAX_ISSUES_IN_MAIL
) -> tuple[tuple[ReportedIssue, ...], int]:
    """The first row errors by line number (for the e-mail) and how many there are in all."""
    errors = sorted(
        (issue for issue in issues if issue.severity is Severity.ERROR),
        key=lambda issue: (issue.line is None, issue.line or 0),
    )
    first = tuple(ReportedIssue(line=i.line, code=i.code, message=i.message) for i in errors[:limit])
    return first, len(errors)
