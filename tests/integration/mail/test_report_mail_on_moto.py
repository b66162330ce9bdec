"""The report e-mail as the report steps send it: template environment, moto SES, S3 and DynamoDB."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from elea.composition.report_mail import mail_notifier, report_mail_services
from elea.config.accounts_settings import ReportMailSettings
from elea.dal.aws_clients import forget_clients
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.establishments.establishment import new_establishment
from elea.logic.staging_layout import report_keys
from elea.mail.send_report import ReportMailOutcome, resend_import_report
from elea.models.cohort_counts import CohortCounts
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.import_report import ImportReport
from elea.models.issue import Issue, Severity
from elea.models.outcome_counts import OutcomeCounts
from elea.models.report_mail_status import MailStatus
from elea.models.step_failure import ImportFailure
from elea_local.cfn_template import LOCAL_REGION, local_stack
from tests.integration.template_tables import create_template_table

UAI = "0771234Y"
BUCKET = "elea-test-imports"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass
class Deployed:
    settings: ReportMailSettings
    imports: DynamoDbImportStore
    s3: object

    def verify_sender(self) -> None:
        boto3.client("ses", region_name=LOCAL_REGION).verify_email_identity(EmailAddress=self.settings.mail_sender)

    def closed_import(self, import_id: str, **fields: object) -> ImportRecord:
        keys = report_keys(UAI, import_id)
        values: dict[str, object] = {
            "import_id": import_id,
            "execution_id": "exec-1",
            "bucket": BUCKET,
            "upload_key": f"imports/{UAI}/export.csv",
            "file_name": "export.csv",
            "uai": UAI,
            "status": ImportStatus.COMPLETED,
            "started_at": NOW,
            "finished_at": NOW,
            "counts": OutcomeCounts(created=3, updated=570, protected=2, errors=1),
            "cohorts": CohortCounts(created=1, unchanged=20),
            "report": keys,
            "export_deleted": True,
        } | fields
        record = ImportRecord.model_validate(values)
        self.imports.claim(record)
        report = ImportReport(
            import_id=import_id, uai=UAI, file_name="export.csv", format="ent-csv", status=record.status,
            started_at=NOW, finished_at=NOW, people_count=576, counts=record.counts or OutcomeCounts(),
            cohorts=record.cohorts or CohortCounts(), held=0, issues_total=2,
            issues=[
                Issue(line=8, severity=Severity.ERROR, code="missing_login", message="L'identifiant est vide."),
                Issue(line=3, severity=Severity.WARNING, code="left_school", message="Élève sorti."),
            ],
        )  # fmt: skip
        self.s3.put_object(Bucket=BUCKET, Key=keys.json_key, Body=report.model_dump_json().encode())  # type: ignore[attr-defined]
        return record


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployed]:
    for name, value in {**local_stack().environment(), "IMPORT_BUCKET": BUCKET}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", LOCAL_REGION)
    with mock_aws():
        forget_clients()
        dynamodb = boto3.client("dynamodb", region_name=LOCAL_REGION)
        s3 = boto3.client("s3", region_name=LOCAL_REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": LOCAL_REGION})
        for table in ("ImportsTable", "EstablishmentsTable"):
            create_template_table(dynamodb, table)
        settings = ReportMailSettings.from_environ()
        DynamoDbEstablishmentStore(settings.establishments_table).put(
            new_establishment(uai=UAI, name="Collège Jean Moulin", department="77", basin="3")
        )
        yield Deployed(settings=settings, imports=DynamoDbImportStore(settings.imports_table), s3=s3)
        forget_clients()


def _captured() -> list[tuple[list[str], str, str]]:
    """(recipients, subject, text body) of every message moto's SES received."""
    result = []
    for raw in ses_backends[DEFAULT_ACCOUNT_ID][LOCAL_REGION].sent_messages:
        parsed = email.message_from_string(raw.raw_data)
        subject = str(email.header.make_header(email.header.decode_header(parsed["Subject"])))
        text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain")
        result.append((sorted(set(raw.destinations)), subject, text.get_payload(decode=True).decode("utf-8")))
    return result


def test_a_completed_import_mails_its_report_to_the_uai_mailbox_once(deployed: Deployed) -> None:
    deployed.verify_sender()
    record = deployed.closed_import("imp-1")
    notifier = mail_notifier(deployed.settings)
    # WHEN the report step notifies, then is retried
    notifier.import_finished(record)
    notifier.import_finished(deployed.imports.get("imp-1"))  # type: ignore[arg-type]
    # THEN one message, to the school's own mailbox, with the headline, the first error and a 1-hour link
    [(recipients, subject, text)] = _captured()
    assert recipients == ["0771234y@ac-creteil.fr"]
    assert subject == (
        "Éléa : importation terminée (0771234Y) — "
        "570 utilisateurs actualisés, 3 utilisateurs créés, 2 utilisateurs protégés"
    )
    assert "ligne 8 : L'identifiant est vide. (missing_login)" in text
    assert "ligne 3" not in text
    [link] = [u for u in re.findall(r"https://\S+", text) if "X-Amz-Expires" in u]
    assert urlsplit(link).path.endswith("reports/0771234Y/imp-1/report.csv")
    assert parse_qs(urlsplit(link).query)["X-Amz-Expires"] == ["3600"]
    assert "a été supprimé de nos serveurs" in text
    assert not re.search(r"mot de passe", text, re.IGNORECASE)
    # AND the import record says it was sent
    stored = deployed.imports.get("imp-1")
    assert stored is not None
    assert stored.report_mail is not None
    assert (stored.report_mail.status, stored.report_mail.attempts) == (MailStatus.SENT, 1)


def test_a_mail_refused_by_ses_is_recorded_on_the_import_and_resent_later(deployed: Deployed) -> None:
    # GIVEN a refused import, and a sender identity not verified yet in SES
    failure = ImportFailure(code="empty_file", message="Le fichier export.csv est vide.", hint="Exportez-le à nouveau.")
    record = deployed.closed_import(
        "imp-2", status=ImportStatus.REFUSED, failure=failure, counts=None, cohorts=None, report=None
    )
    mail_notifier(deployed.settings).import_finished(record)
    stored = deployed.imports.get("imp-2")
    assert stored is not None
    assert stored.report_mail is not None
    assert (stored.report_mail.status, stored.report_mail.last_error) == (MailStatus.FAILED, "MessageRejected")
    assert _captured() == []
    # WHEN the identity is verified and the report re-sent
    deployed.verify_sender()
    result = resend_import_report("imp-2", report_mail_services(deployed.settings))
    # THEN the failure e-mail goes, in plain French, to the same mailbox only
    assert result.outcome is ReportMailOutcome.SENT
    [(recipients, subject, text)] = _captured()
    assert recipients == ["0771234y@ac-creteil.fr"]
    assert "n'a pas pu être faite" in subject
    assert "Le fichier export.csv est vide." in text
    assert "empty_file" not in text  # codes are for logs: the head of school reads French
    assert "Exportez-le à nouveau." in text
    assert "Type d'export « Export classique », Classe « Toutes », Profil « Tous »" in text
    stored = deployed.imports.get("imp-2")
    assert stored is not None
    assert stored.report_mail is not None
    assert (stored.report_mail.status, stored.report_mail.attempts) == (MailStatus.SENT, 2)


def test_an_import_without_a_uai_mails_nobody(deployed: Deployed) -> None:
    deployed.verify_sender()
    record = deployed.closed_import("imp-3", uai=None, status=ImportStatus.REFUSED, report=None)
    mail_notifier(deployed.settings).import_finished(record)
    assert _captured() == []


def test_the_mail_outcome_is_one_write_and_survives_a_later_save_of_the_record(deployed: Deployed) -> None:
    # GIVEN a completed import whose report e-mail goes out
    deployed.verify_sender()
    record = deployed.closed_import("imp-4")
    calls: list[str] = []

    def count(model: Any, params: dict[str, Any], **_: Any) -> None:
        if params.get("TableName") == deployed.settings.imports_table:
            calls.append(str(model.name))

    deployed.imports._db.meta.events.register("provide-client-params.dynamodb", count)
    # WHEN the report step notifies
    mail_notifier(deployed.settings).import_finished(record)
    # THEN the outcome took one UpdateItem of the import record, and no read of it
    assert calls == ["UpdateItem"]
    # AND a later save of the record its owner read before the mail keeps the outcome
    deployed.imports.save(record.model_copy(update={"export_deleted": False}))
    stored = deployed.imports.get("imp-4")
    assert stored is not None
    assert stored.report_mail is not None
    assert (stored.report_mail.status, stored.report_mail.attempts) == (MailStatus.SENT, 1)


def test_no_mail_outcome_is_recorded_for_an_unknown_import(deployed: Deployed) -> None:
    # GIVEN no import under this id
    # WHEN its mail outcome is recorded THEN it is refused, and no item is created
    assert not deployed.imports.record_report_mail(
        "imp-missing", status=MailStatus.SENT, at=NOW, message_id="m-1", last_error=None
    )
    assert deployed.imports.get("imp-missing") is None
