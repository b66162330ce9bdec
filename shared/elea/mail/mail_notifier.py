"""The ImportNotifier of the chain: the report (or failure) e-mail to the establishment's mailbox."""

from __future__ import annotations

from aws_lambda_powertools.metrics import MetricUnit

from elea.mail.import_record_summaries import ImportRecordSummaries
from elea.mail.send_report import ReportMailOutcome, ReportMailServices, send_import_report
from elea.models.import_record import ImportRecord
from elea.observability import logger, metrics


class MailImportNotifier:
    """Never raises on a mail failure: the import is done and recorded, the failure is recorded on it,
    and `elea-import report resend` sends it later. Raising would re-run the report step for nothing."""

    def __init__(self, *, mail: ReportMailServices, summaries: ImportRecordSummaries) -> None:
        self._mail = mail
        self._summaries = summaries

    def import_finished(self, record: ImportRecord) -> None:
        if record.uai is None:
            # The key named no valid UAI: there is no establishment, hence no mailbox, to write to.
            logger.warning("no report e-mail: the import has no UAI", extra={"import_id": record.import_id})
            return
        result = send_import_report(self._summaries.summary_of(record), self._mail, previous=record.report_mail)
        name = {
            ReportMailOutcome.SENT: "ReportMailSent",
            ReportMailOutcome.ALREADY_SENT: "ReportMailAlreadySent",
            ReportMailOutcome.FAILED: "ReportMailFailed",
        }[result.outcome]
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=1)
