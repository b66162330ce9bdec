"""Sending an import's report e-mail, and re-sending it (`elea-import report resend IMPORT_ID`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from elea.credentials.clock import Clock, utc_now
from elea.errors import PlatformError
from elea.establishments.academy import AcademySettings
from elea.mail.errors import MailDeliveryFailed, ReportMailNotFound
from elea.mail.import_summary import ImportSummary
from elea.mail.report_mail import ReportLinks, report_message
from elea.models.report_mail_status import MailStatus, ReportMailStatus
from elea.observability import logger
from elea.ports.establishment_store import EstablishmentStore
from elea.ports.import_summaries import ImportSummaries
from elea.ports.mailer import Mailer
from elea.ports.report_files import ReportFiles
from elea.ports.report_mail_log import ReportMailLog

DEFAULT_LINK_TTL = timedelta(hours=1)


@dataclass(frozen=True)
class ReportMailServices:
    mailer: Mailer
    files: ReportFiles
    mail_log: ReportMailLog
    summaries: ImportSummaries
    establishments: EstablishmentStore
    academy: AcademySettings
    clock: Clock = utc_now
    link_ttl: timedelta = DEFAULT_LINK_TTL


class ReportMailOutcome(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    FAILED = "failed"


@dataclass(frozen=True)
class ReportMailResult:
    import_id: str
    outcome: ReportMailOutcome
    recipient: str
    message_id: str | None = None
    reason: str | None = None


def send_import_report(
    summary: ImportSummary, services: ReportMailServices, *, previous: ReportMailStatus | None
) -> ReportMailResult:
    """Sends once per import: a retried report step passes the status it finds on the record (`previous`)
    and a sent report is not sent again. A failure is recorded on the import (the import itself stays
    the record of what to say) and can be re-sent later."""
    if previous is not None and previous.status is MailStatus.SENT:
        return ReportMailResult(
            import_id=summary.import_id,
            outcome=ReportMailOutcome.ALREADY_SENT,
            recipient=services.academy.mailbox(summary.uai),
            message_id=previous.message_id,
        )
    return _deliver(summary, services)


def resend_import_report(import_id: str, services: ReportMailServices) -> ReportMailResult:
    """Sends the report again, with fresh links (the first ones have expired by then)."""
    summary = services.summaries.summary(import_id)
    if summary is None:
        raise ReportMailNotFound(
            f"Aucune importation n'est enregistrée sous la référence {import_id}.",
            hint="Vérifiez la référence : elle figure dans le résultat de l'importation.",
        )
    return _deliver(summary, services)


def _deliver(summary: ImportSummary, services: ReportMailServices) -> ReportMailResult:
    # Only ever the mailbox of the import's own UAI: nothing read from the file can choose a recipient.
    recipient = services.academy.mailbox(summary.uai)
    try:
        # The school as the import read it in its Parse step; otherwise from the registry.
        establishment = summary.establishment or services.establishments.get(summary.uai)
        message = report_message(summary, services.academy, establishment, _links(summary, services))
        message_id = services.mailer.send(message)
    except (MailDeliveryFailed, PlatformError) as error:
        reason = error.reason if isinstance(error, MailDeliveryFailed) else error.code
        services.mail_log.mark_failed(summary.import_id, reason=reason, at=services.clock())
        logger.error("report e-mail not sent", extra={"import_id": summary.import_id, "reason": reason})
        return ReportMailResult(
            import_id=summary.import_id, outcome=ReportMailOutcome.FAILED, recipient=recipient, reason=reason
        )
    services.mail_log.mark_sent(summary.import_id, message_id=message_id, at=services.clock())
    return ReportMailResult(
        import_id=summary.import_id, outcome=ReportMailOutcome.SENT, recipient=recipient, message_id=message_id
    )


def _links(summary: ImportSummary, services: ReportMailServices) -> ReportLinks:
    ttl = services.link_ttl

    def link(key: str | None, download_name: str) -> str | None:
        return None if key is None else services.files.link(key, expires_in=ttl, download_name=download_name)

    stem = f"{summary.uai}-{summary.import_id}"
    return ReportLinks(
        report=link(summary.report_key, f"rapport-{stem}.csv"),
        login_sheets=link(summary.login_sheets_key, f"fiches-de-connexion-{stem}.html"),
        login_sheets_csv=link(summary.login_sheets_csv_key, f"fiches-de-connexion-{stem}.csv"),
        valid_minutes=int(ttl.total_seconds() // 60),
    )
