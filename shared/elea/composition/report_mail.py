"""The report e-mail's services, shared by the report steps and `report resend` (SES, S3, DynamoDB):
mail/ stays behind its ports, this is where they meet their adapters."""

from __future__ import annotations

from datetime import UTC, datetime

from elea.config.accounts_settings import ReportMailSettings
from elea.credentials.sheets_publisher import LoginSheetsPublisher
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.report_files import S3ReportFiles
from elea.dal.s3.staging import S3StagingStore
from elea.dal.ses.mailer import SesMailer
from elea.mail.import_record_mail_log import ImportRecordMailLog
from elea.mail.import_record_summaries import ImportRecordSummaries
from elea.mail.mail_notifier import MailImportNotifier
from elea.mail.send_report import ReportMailServices


def report_mail_services(settings: ReportMailSettings) -> ReportMailServices:
    imports = DynamoDbImportStore(settings.imports_table)
    return ReportMailServices(
        mailer=SesMailer(settings.mail_sender),
        files=S3ReportFiles(settings.import_bucket),
        mail_log=ImportRecordMailLog(imports),
        summaries=ImportRecordSummaries(imports=imports, reports=S3StagingStore(settings.import_bucket)),
        establishments=DynamoDbEstablishmentStore(settings.establishments_table),
        academy=settings.academy(),
    )


def mail_notifier(settings: ReportMailSettings) -> MailImportNotifier:
    services = report_mail_services(settings)
    imports = DynamoDbImportStore(settings.imports_table)
    summaries = ImportRecordSummaries(imports=imports, reports=S3StagingStore(settings.import_bucket))
    return MailImportNotifier(mail=services, summaries=summaries)


def login_sheets_publisher(settings: ReportMailSettings) -> LoginSheetsPublisher:
    return LoginSheetsPublisher(
        staging=S3StagingStore(settings.import_bucket),
        files=S3ReportFiles(settings.import_bucket),
        establishments=DynamoDbEstablishmentStore(settings.establishments_table),
        academy=settings.academy(),
        now=lambda: datetime.now(UTC),
    )
