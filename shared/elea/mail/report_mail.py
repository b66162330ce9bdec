"""Rendering the import report e-mail (success or failure) for the establishment's mailbox."""

from __future__ import annotations

from dataclasses import dataclass

from elea.establishments.academy import AcademySettings
from elea.establishments.establishment import Establishment
from elea.mail.import_summary import ImportSummary
from elea.mail.message import MailKind, MailMessage
from elea.mail.rendering import french_number, render

# The seed's wording: what the manager chooses in the ENT administration console.
REEXPORT_STEPS = (
    "exportez à nouveau depuis la console d'administration de l'ENT (Imports / Exports, « Exporter des "
    "comptes ») : Type d'export « Export classique », Classe « Toutes », Profil « Tous », Filtre « Pas de "
    "filtre sur l'activation »"
)


@dataclass(frozen=True)
class ReportLinks:
    """Presigned links, made just before sending (they expire)."""

    report: str | None = None
    login_sheets: str | None = None
    login_sheets_csv: str | None = None
    valid_minutes: int = 60

    @property
    def validity(self) -> str:
        """« 1 heure », « 2 heures », « 30 minutes »."""
        if self.valid_minutes % 60 == 0:
            hours = self.valid_minutes // 60
            return f"{hours} {plural(hours, 'heure', 'heures')}"
        return f"{self.valid_minutes} {plural(self.valid_minutes, 'minute', 'minutes')}"


def plural(count: int, singular: str, plural_form: str) -> str:
    return singular if count == 1 else plural_form


def headline(summary: ImportSummary) -> str:
    """As the platform shows it: « 570 utilisateurs actualisés, 0 utilisateurs créés, 0 utilisateurs protégés ».
    « Actualisés »: the file's accounts brought up to date, modified or already so."""
    counts = summary.counts
    parts = [
        (counts.updated + counts.unchanged, "utilisateur actualisé", "utilisateurs actualisés"),
        (counts.created, "utilisateur créé", "utilisateurs créés"),
        (counts.protected, "utilisateur protégé", "utilisateurs protégés"),
    ]
    return ", ".join(f"{french_number(n)} {plural(n, one, many)}" for n, one, many in parts)


def report_message(
    summary: ImportSummary,
    academy: AcademySettings,
    establishment: Establishment | None,
    links: ReportLinks,
) -> MailMessage:
    """The recipient is derived from the import's UAI only; no password or personal data is ever passed in."""
    mailbox = academy.mailbox(summary.uai)
    kind = MailKind.IMPORT_REPORT if summary.succeeded else MailKind.IMPORT_FAILURE
    if summary.succeeded:
        subject = f"Éléa : importation terminée ({summary.uai}) — {headline(summary)}"
    else:
        subject = f"Éléa : l'importation n'a pas pu être faite ({summary.uai})"
    context = {
        "subject": subject,
        "summary": summary,
        "headline": headline(summary),
        "name": establishment.name if establishment is not None else None,
        "platform_url": academy.platform_url(establishment) if establishment is not None else None,
        "mailbox": mailbox,
        "links": links,
        # Issue 8: the report e-mail sends the manager to the import's page (held suspensions, full report).
        "import_page_url": academy.import_page_url(summary.import_id),
        "more_issues": max(0, summary.issue_count - len(summary.first_issues)),
        "reexport_steps": REEXPORT_STEPS,
        "plural": plural,
    }
    stem = "report" if summary.succeeded else "failure"
    return MailMessage(
        kind=kind,
        uai=summary.uai,
        to=mailbox,
        subject=subject,
        text=render(f"{stem}.txt.j2", **context),
        html=render(f"{stem}.html.j2", **context),
    )
