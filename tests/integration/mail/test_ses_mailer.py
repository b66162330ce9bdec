"""The SES adapter on moto: what SES really receives (recipient, subject, both parts), retries, refusals."""

from __future__ import annotations

import email
from collections.abc import Iterator
from email.message import Message
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from elea.dal.ses.mailer import SesMailer
from elea.mail.errors import MailDeliveryFailed
from elea.mail.message import MailKind, MailMessage

REGION = "eu-west-3"
SENDER = "ne-pas-repondre@elea.ac-creteil.fr"
MESSAGE = MailMessage(
    kind=MailKind.IMPORT_REPORT,
    uai="0771234Y",
    to="0771234y@ac-creteil.fr",
    subject="Éléa : importation terminée (0771234Y) — 570 utilisateurs actualisés",
    text="570 utilisateurs actualisés\nhttps://reports.example/r.csv\n",
    html="<p>570 utilisateurs actualisés</p><a href='https://reports.example/r.csv'>rapport</a>",
)


@pytest.fixture
def ses() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("ses", region_name=REGION)
        client.verify_email_identity(EmailAddress=SENDER)
        yield client


def _sent() -> list[Message]:
    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    return [email.message_from_string(m.raw_data) for m in backend.sent_messages]


def _bodies(parsed: Message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]
        for part in parsed.walk()
        if not part.is_multipart()
    }


def test_ses_receives_one_multipart_message_for_the_recipient_with_subject_and_both_bodies(ses: Any) -> None:
    message_id = SesMailer(SENDER, ses).send(MESSAGE)
    [raw] = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    assert raw.id == message_id
    assert raw.source == SENDER
    assert set(raw.destinations) == {"0771234y@ac-creteil.fr"}
    [parsed] = _sent()
    assert str(email.header.make_header(email.header.decode_header(parsed["Subject"]))) == MESSAGE.subject
    bodies = _bodies(parsed)
    assert "https://reports.example/r.csv" in bodies["text/plain"]
    assert "<a href='https://reports.example/r.csv'>" in bodies["text/html"]
    assert parsed["X-Elea-Kind"] == "import_report"


def test_an_unverified_sender_is_refused_as_a_delivery_failure(ses: Any) -> None:
    with pytest.raises(MailDeliveryFailed) as caught:
        SesMailer("inconnu@example.org", ses).send(MESSAGE)
    assert caught.value.reason == "MessageRejected"
    assert caught.value.code == "mail_delivery_failed"


class ThrottledClient:
    """A real (moto) SES client that first answers "Maximum sending rate exceeded." a few times."""

    def __init__(self, inner: Any, throttles: int) -> None:
        self.inner, self.throttles, self.calls = inner, throttles, 0

    def send_raw_email(self, **kwargs: Any) -> Any:
        self.calls += 1
        if self.throttles:
            self.throttles -= 1
            raise ClientError(
                {"Error": {"Code": "Throttling", "Message": "Maximum sending rate exceeded."}}, "SendRawEmail"
            )
        return self.inner.send_raw_email(**kwargs)


def test_throttling_is_retried_with_growing_pauses_then_sent(ses: Any) -> None:
    pauses: list[float] = []
    client = ThrottledClient(ses, throttles=2)
    SesMailer(SENDER, client, sleep=pauses.append).send(MESSAGE)  # type: ignore[arg-type]
    assert client.calls == 3
    assert pauses == [0.5, 1.0]
    assert len(_sent()) == 1


def test_throttling_that_does_not_stop_fails_after_a_bounded_number_of_attempts(ses: Any) -> None:
    pauses: list[float] = []
    client = ThrottledClient(ses, throttles=99)
    with pytest.raises(MailDeliveryFailed) as caught:
        SesMailer(SENDER, client, max_attempts=4, sleep=pauses.append).send(MESSAGE)  # type: ignore[arg-type]
    assert caught.value.reason == "Throttling"
    assert client.calls == 4
    assert len(pauses) == 3
    assert not _sent()
