"""The per-row report CSV: safe to open in Excel (UTF-8 with BOM, `;`, formulas neutralised)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict

from elea.credentials.csv_cells import neutralise
from elea.domain.profile_names import PROFILE_NAMES
from elea.models.deprovision_result import HeldPerson
from elea.models.issue import Issue, Severity
from elea.models.outcome import Outcome, PersonOutcome
from elea.models.report_row import ReportClass, ReportPersonRow
from elea.models.sanity_check import SanityCheck

# Issue 8, item 7: the person's name and class beside the Id, so the manager can act once the export is gone.
HEADER = ("Ligne", "Id", "Nom", "Prénom", "Classe", "Profil", "Résultat", "Champs modifiés", "Message")

OUTCOME_LABELS = {
    Outcome.CREATED: "créé",
    Outcome.UPDATED: "modifié",
    Outcome.UNCHANGED: "inchangé",
    Outcome.PROTECTED: "protégé",
    Outcome.SUSPENDED: "suspendu",
    Outcome.SKIPPED: "ignoré",
    Outcome.ERROR: "erreur",
}
HELD_LABEL = "suspension en attente d'approbation"
CHECK_LABEL = "contrôle avant suspension"
WARNING_LABEL = "avertissement"

# Capitalised: a column's value.
PROFILE_LABELS = {profile: singular.capitalize() for profile, (singular, _) in PROFILE_NAMES.items()}

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
    last_name: str = ""
    first_name: str = ""
    class_name: str = ""
    # The stable English outcome (created, updated…, held, warning), for the page's filter.
    outcome: str = ""


def outcome_rows(outcomes: Iterable[PersonOutcome]) -> list[ReportRow]:
    return [
        ReportRow(
            line=outcome.line,
            id=outcome.id,
            profile="" if outcome.profile is None else PROFILE_LABELS[outcome.profile],
            result=OUTCOME_LABELS[outcome.outcome],
            changed_fields=", ".join(FIELD_LABELS.get(name, name) for name in outcome.changed_fields),
            message=outcome.message,
            last_name=outcome.last_name or "",
            first_name=outcome.first_name or "",
            class_name=outcome.class_name or "",
            outcome=outcome.outcome.value,
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


def held_rows(held: Iterable[str], people: Sequence[HeldPerson] = ()) -> list[ReportRow]:
    """One row per held account: named when the deprovisioning step listed who they are."""
    message = "Absent du fichier ; suspension retenue par sécurité, à approuver."
    if people:
        return [
            ReportRow(
                line=None,
                id=person.id,
                profile="" if person.profile is None else PROFILE_LABELS[person.profile],
                result=HELD_LABEL,
                changed_fields="",
                message=message,
                last_name=person.last_name,
                first_name=person.first_name,
                class_name=person.class_name or "",
                outcome="held",
            )
            for person in people
        ]
    return [
        ReportRow(
            line=None, id=account, profile="", result=HELD_LABEL, changed_fields="", message=message, outcome="held"
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
        cells = (
            "" if row.line is None else str(row.line),
            row.id or "",
            row.last_name,
            row.first_name,
            row.class_name,
            row.profile,
            row.result,
        )
        writer.writerow([neutralise(cell) for cell in (*cells, row.changed_fields, row.message)])
    return buffer.getvalue().encode("utf-8-sig")


def _issue_row(issues: Sequence[Issue]) -> ReportRow:
    first = issues[0]
    is_error = first.severity is Severity.ERROR
    named = next((issue for issue in issues if issue.last_name or issue.first_name), first)
    return ReportRow(
        line=first.line,
        id=next((issue.person_id for issue in issues if issue.person_id), None),
        profile="",
        result=OUTCOME_LABELS[Outcome.ERROR] if is_error else WARNING_LABEL,
        changed_fields="",
        message=" ; ".join(issue.message for issue in issues),
        last_name=named.last_name or "",
        first_name=named.first_name or "",
        class_name=named.class_name or "",
        outcome=Outcome.ERROR.value if is_error else "warning",
    )


def json_rows(
    outcomes: Iterable[PersonOutcome], issues: Iterable[Issue], held: Iterable[str], people: Sequence[HeldPerson]
) -> list[ReportPersonRow]:
    """report.json's rows: the same people as the CSV, with stable values (profile, outcome, field names)."""
    rows = [
        ReportPersonRow(
            line=outcome.line,
            id=outcome.id,
            last_name=outcome.last_name,
            first_name=outcome.first_name,
            class_name=outcome.class_name,
            profile=outcome.profile,
            outcome=outcome.outcome.value,
            changed_fields=list(outcome.changed_fields),
            message=outcome.message,
        )
        for outcome in outcomes
    ]
    for issue in issues:
        rows.append(
            ReportPersonRow(
                line=issue.line,
                id=issue.person_id,
                last_name=issue.last_name,
                first_name=issue.first_name,
                class_name=issue.class_name,
                outcome=Outcome.ERROR.value if issue.severity is Severity.ERROR else "warning",
                message=issue.message,
            )
        )
    if people:
        rows += [
            ReportPersonRow(
                line=None,
                id=person.id,
                last_name=person.last_name,
                first_name=person.first_name,
                class_name=person.class_name,
                profile=person.profile,
                outcome="held",
            )
            for person in people
        ]
    else:
        rows += [ReportPersonRow(line=None, id=account, outcome="held") for account in held]
    return sorted(rows, key=lambda row: (row.line is None, row.line or 0))


def report_classes(outcomes: Iterable[PersonOutcome]) -> list[ReportClass]:
    """Each class of the file with the number of its people in the import (a person may be in several)."""
    members: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        for name in (outcome.class_name or "").split(", "):
            if name:
                members[name] += 1
    return [ReportClass(name=name, members=count) for name, count in sorted(members.items())]
