"""The report e-mail through the real adapters on moto: S3 links, SES capture, the DynamoDB mail log."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from elea.dal.dynamodb_establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb_report_mail_log import DynamoDbReportMailLog
from elea.dal.s3_report_files import S3ReportFiles
from elea.dal.ses_mailer import SesMailer
from elea.establishments.academy import AcademySettings
from elea.establishments.establishment import new_establishment
from elea.mail.import_summary import ImportSummary, ReportCounts, ReportedFailure, ReportedIssue
from elea.mail.report_mail_entry import MailStatus
from elea.mail.send_report import ReportMailOutcome, ReportMailServices, resend_import_report, send_import_report
from elea_cli.local_accounts.tables import create_establishments_table

REGION = "eu-west-3"
SENDER = "ne-pas-repondre@elea.ac-creteil.fr"
BUCKET = "elea-imports"
UAI = "0771234Y"
REPORT_KEY = f"reports/{UAI}/imp-1/report.csv"


@pytest.fixture
def services() -> Iterator[ReportMailServices]:
    with mock_aws():
        ses = boto3.client("ses", region_name=REGION)
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        create_establishments_table(dynamodb, "establishments")
        establishments = DynamoDbEstablishmentStore("establishments", client=dynamodb)
        establishments.put(new_establishment(uai=UAI, name="Collège Jean Moulin", department="77", basin="3"))
        yield ReportMailServices(
            mailer=SesMailer(SENDER, ses, sleep=lambda _: None),
            files=S3ReportFiles(BUCKET, client=s3),
            mail_log=DynamoDbReportMailLog("establishments", client=dynamodb),
            establishments=establishments,
            academy=AcademySettings(activation_page_url="https://auth.example/activation"),
        )


def _verify_sender() -> None:
    boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=SENDER)


def _captured() -> list[tuple[list[str], str, str]]:
    """(recipients, subject, text body) of every message moto's SES received."""
    result = []
    for raw in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages:
        parsed = email.message_from_string(raw.raw_data)
        subject = str(email.header.make_header(email.header.decode_header(parsed["Subject"])))
        text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
        result.append((sorted(set(raw.destinations)), subject, text.get_payload(decode=True).decode("utf-8")))
    return result


def test_report_mail_on_ses_has_the_right_recipient_subject_and_a_short_lived_link_and_no_password(
    services: ReportMailServices,
) -> None:
    summary = ImportSummary(
        import_id="imp-1",
        uai=UAI,
        counts=ReportCounts(created=3, updated=570, protected=2, errors=1),
        first_issues=(ReportedIssue(line=8, code="missing_login", message="L'identifiant est vide."),),
        issue_count=1,
        report_key=REPORT_KEY,
        export_deleted=True,
    )
    _verify_sender()
    result = send_import_report(summary, services)
    assert result.outcome is ReportMailOutcome.SENT
    [(recipients, subject, text)] = _captured()
    assert recipients == ["0771234y@ac-creteil.fr"]
    assert subject == (
        "Éléa : importation terminée (0771234Y) — "
        "570 utilisateurs actualisés, 3 utilisateurs créés, 2 utilisateurs protégés"
    )
    [link] = [u for u in re.findall(r"https://\S+", text) if "X-Amz-Expires" in u]
    query = parse_qs(urlsplit(link).query)
    assert urlsplit(link).path.endswith(REPORT_KEY)
    assert query["X-Amz-Expires"] == ["3600"]
    assert "attachment" in query["response-content-disposition"][0]
    assert "ligne 8 : L'identifiant est vide." in text
    assert not re.search(r"mot de passe", text, re.IGNORECASE)
    entry = services.mail_log.get("imp-1")
    assert entry is not None
    assert entry.status is MailStatus.SENT


def test_a_rejected_mail_is_recorded_on_the_import_and_resent_later(services: ReportMailServices) -> None:
    # GIVEN the sender identity is not (yet) verified in SES
    summary = ImportSummary(
        import_id="imp-2",
        uai=UAI,
        failure=ReportedFailure(code="empty_file", message="Le fichier export.csv est vide."),
        export_deleted=True,
    )
    failed = send_import_report(summary, services)
    assert failed.outcome is ReportMailOutcome.FAILED
    assert failed.reason == "MessageRejected"
    entry = services.mail_log.get("imp-2")
    assert entry is not None
    assert (entry.status, entry.last_error, entry.attempts) == (
        MailStatus.FAILED,
        "MessageRejected",
        1,
    )
    # WHEN the identity is verified and the report re-sent THEN it goes, to the same mailbox only
    _verify_sender()
    assert resend_import_report("imp-2", services).outcome is ReportMailOutcome.SENT
    [(recipients, subject, text)] = _captured()
    assert recipients == ["0771234y@ac-creteil.fr"]
    assert "n'a pas pu être faite" in subject
    assert "Export classique" in text
    entry = services.mail_log.get("imp-2")
    assert entry is not None
    assert (entry.status, entry.attempts) == (MailStatus.SENT, 2)


def test_the_first_record_of_an_import_is_kept_when_the_report_step_is_retried(services: ReportMailServices) -> None:
    log = services.mail_log
    first = ImportSummary(import_id="imp-3", uai=UAI, export_deleted=False)
    now = datetime(2026, 3, 2, tzinfo=UTC)
    log.record(first, at=now)
    log.mark_sent("imp-3", message_id="m-1", at=now)
    again = log.record(first.model_copy(update={"export_deleted": True}), at=now + timedelta(minutes=1))
    assert again.status is MailStatus.SENT
    assert again.summary == first


def test_links_are_refused_beyond_twelve_hours(services: ReportMailServices) -> None:
    with pytest.raises(ValueError, match="12 h"):
        services.files.link(REPORT_KEY, expires_in=timedelta(days=1), download_name="r.csv")
