"""The per-row report CSV: safe to open in Excel (UTF-8 with BOM, `;`, formulas neutralised)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from elea.credentials.csv_cells import neutralise
from elea.models.issue import Issue, Severity
from elea.models.outcome import Outcome, PersonOutcome
from elea.models.person import Profile
from elea.models.sanity_check import SanityCheck

HEADER = ("Ligne", "Id", "Profil", "Résultat", "Champs modifiés", "Message")

OUTCOME_LABELS = {
    Outcome.CREATED: "créé",
    Outcome.UPDATED: "actualisé",
    Outcome.UNCHANGED: "inchangé",
    Outcome.PROTECTED: "protégé",
    Outcome.SUSPENDED: "suspendu",
    Outcome.SKIPPED: "ignoré",
    Outcome.ERROR: "erreur",
}
HELD_LABEL = "suspension en attente d'approbation"
CHECK_LABEL = "contrôle avant suspension"
WARNING_LABEL = "avertissement"

PROFILE_LABELS = {
    Profile.STUDENT: "Élève",
    Profile.TEACHER: "Enseignant",
    Profile.PERSONNEL: "Personnel",
    Profile.RELATIVE: "Parent",
    Profile.GUEST: "Invité",
}

FIELD_LABELS = {
    "last_name": "nom",
    "first_name": "prénom",
    "login": "identifiant",
    "username": "identifiant",
    "profile": "profil",
    "classes": "classes",
    "cohorts": "classes",
    "status": "statut",
    "email": "courriel",
}


class ReportRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    line: int | None
    id: str | None
    profile: str
    result: str
    changed_fields: str
    message: str


def outcome_rows(outcomes: Iterable[PersonOutcome]) -> list[ReportRow]:
    return [
        ReportRow(
            line=outcome.line,
            id=outcome.id,
            profile="" if outcome.profile is None else PROFILE_LABELS[outcome.profile],
            result=OUTCOME_LABELS[outcome.outcome],
            changed_fields=", ".join(FIELD_LABELS.get(name, name) for name in outcome.changed_fields),
            message=outcome.message,
        )
        for outcome in outcomes
    ]


def issue_rows(issues: Iterable[Issue]) -> list[ReportRow]:
    """One row per erroneous line (its messages joined), one per warning."""
    errors: dict[int | None, list[Issue]] = defaultdict(list)
    rows: list[ReportRow] = []
    for issue in issues:
        if issue.severity is Severity.ERROR and issue.line is not None:
            errors[issue.line].append(issue)
        else:
            rows.append(_issue_row([issue]))
    rows.extend(_issue_row(grouped) for grouped in errors.values())
    return rows


def held_rows(held: Iterable[str]) -> list[ReportRow]:
    return [
        ReportRow(
            line=None,
            id=account,
            profile="",
            result=HELD_LABEL,
            changed_fields="",
            message="Absent du fichier ; suspension retenue par sécurité, à approuver.",
        )
        for account in held
    ]


def check_rows(checks: Iterable[SanityCheck]) -> list[ReportRow]:
    """The checks the file failed (why every suspension was held), each with what to do."""
    return [
        ReportRow(
            line=None,
            id=None,
            profile="",
            result=CHECK_LABEL,
            changed_fields="",
            message=f"{check.message} {check.hint}",
        )
        for check in checks
    ]


def render_csv(rows: Sequence[ReportRow]) -> bytes:
    ordered = sorted(rows, key=lambda row: (row.line is None, row.line or 0))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in ordered:
        cells = ("" if row.line is None else str(row.line), row.id or "", row.profile, row.result)
        writer.writerow([neutralise(cell) for cell in (*cells, row.changed_fields, row.message)])
    return buffer.getvalue().encode("utf-8-sig")


def _issue_row(issues: Sequence[Issue]) -> ReportRow:
    first = issues[0]
    is_error = first.severity is Severity.ERROR
    return ReportRow(
        line=first.line,
        id=next((issue.person_id for issue in issues if issue.person_id), None),
        profile="",
        result=OUTCOME_LABELS[Outcome.ERROR] if is_error else WARNING_LABEL,
        changed_fields="",
        message=" ; ".join(issue.message for issue in issues),
    )
