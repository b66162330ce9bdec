"""Row issues with a bound on what they cost: a file of a million bad lines holds a thousand issues, not a million.

Past `max_errors` errors the details are no longer kept, only counted, and `finish` refuses the file
(« trop d'erreurs », saying how many): an export that wrong is not this school's export, or is broken,
and a report of a million lines helps nobody. Warnings are kept up to the same bound, then summed up
in one last warning.
"""

from __future__ import annotations

from elea.errors import RosterRefused
from elea.models.issue import Issue, Severity

DEFAULT_MAX_ROW_ERRORS = 1000
TOO_MANY_ERRORS = "too_many_errors"
WARNINGS_NOT_DETAILED = "warnings_not_detailed"


class IssueLog:
    """A list-like sink of issues (`append`) that keeps at most `max_errors` of each severity."""

    __slots__ = ("dropped_warnings", "errors", "items", "max_errors", "warnings")

    def __init__(self, max_errors: int = DEFAULT_MAX_ROW_ERRORS) -> None:
        self.max_errors = max_errors
        self.items: list[Issue] = []
        self.errors = 0
        self.warnings = 0
        self.dropped_warnings = 0

    def append(self, issue: Issue) -> None:
        if issue.severity is Severity.ERROR:
            self.errors += 1
            if self.errors <= self.max_errors:
                self.items.append(issue)
            return
        self.warnings += 1
        if self.warnings <= self.max_errors:
            self.items.append(issue)
        else:
            self.dropped_warnings += 1

    def extend(self, issues: list[Issue]) -> None:
        for issue in issues:
            self.append(issue)

    def counted_only(self) -> bool:
        """True (and one more error counted) once errors are past the bound: the caller need not build it."""
        if self.errors < self.max_errors:
            return False
        self.errors += 1
        return True

    def __len__(self) -> int:
        return len(self.items)

    def finish(self, source_name: str, hint: str) -> list[Issue]:
        """The issues kept, in line order; raises RosterRefused(too_many_errors) past the bound."""
        if self.errors > self.max_errors:
            raise RosterRefused(
                f"Le fichier « {source_name} » a trop d'erreurs : {self.errors} lignes ou éléments en erreur, "
                f"au-delà des {self.max_errors} acceptées. Rien n'a été importé.",
                code=TOO_MANY_ERRORS,
                file=source_name,
                hint=hint,
            )
        issues = sorted(self.items, key=lambda issue: -1 if issue.line is None else issue.line)
        if self.dropped_warnings:
            issues.append(
                Issue(
                    line=None,
                    severity=Severity.WARNING,
                    code=WARNINGS_NOT_DETAILED,
                    message=f"{self.dropped_warnings} autres avertissements ne sont pas détaillés dans ce rapport.",
                )
            )
        return issues
