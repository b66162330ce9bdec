"""Local runs write what SES (moto) accepted as .eml files, byte for byte, numbered after existing ones."""

from __future__ import annotations

import email
from pathlib import Path

import boto3
from moto import mock_aws

from elea.dal.ses.mailer import SesMailer
from elea.mail.message import MailKind, MailMessage
from elea_local.cfn_template import LOCAL_REGION
from elea_local.sent_mail import write_sent_mail

SENDER = "ne-pas-repondre@elea.ac-creteil.fr"


def _message(kind: MailKind) -> MailMessage:
    return MailMessage(
        kind=kind, uai="0771234Y", to="0771234y@ac-creteil.fr", subject="Éléa", text="Bonjour", html="<p>Bonjour</p>"
    )


@mock_aws
def test_each_message_ses_accepted_becomes_an_eml_file(tmp_path: Path) -> None:
    ses = boto3.client("ses", region_name=LOCAL_REGION)
    ses.verify_email_identity(EmailAddress=SENDER)
    (tmp_path / "mail").mkdir()
    (tmp_path / "mail" / "0001-activation-0771234Y.eml").write_text("earlier run")
    mailer = SesMailer(SENDER, ses)
    mailer.send(_message(MailKind.ACTIVATION))
    mailer.send(_message(MailKind.IMPORT_REPORT))
    written = write_sent_mail(tmp_path / "mail")
    assert [p.name for p in written] == ["0002-activation-0771234Y.eml", "0003-import_report-0771234Y.eml"]
    parsed = email.message_from_bytes(written[1].read_bytes())
    assert parsed["To"] == "0771234y@ac-creteil.fr"
    assert parsed["X-Elea-Kind"] == "import_report"
    assert write_sent_mail(tmp_path / "other", already_written=2) == []
