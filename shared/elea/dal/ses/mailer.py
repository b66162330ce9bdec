"""Mailer over Amazon SES (SendRawEmail: one multipart message, HTML and text), retrying throttling."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_clients import ses_client
from elea.dal.aws_errors import aws_error_code
from elea.mail.errors import MailDeliveryFailed
from elea.mail.message import MailMessage
from elea.mail.mime import build_mime

if TYPE_CHECKING:
    from mypy_boto3_ses import SESClient

# SES says "Throttling" ("Maximum sending rate exceeded."); the others are transient server faults.
RETRIED_CODES = frozenset(
    {"Throttling", "ThrottlingException", "TooManyRequestsException", "ServiceUnavailable", "InternalFailure"}
)
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_FIRST_DELAY = 0.5  # seconds, doubled at each retry: at most 7.5 s of waiting in all


class SesMailer:
    def __init__(
        self,
        sender: str,
        client: SESClient | None = None,
        *,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        first_delay: float = DEFAULT_FIRST_DELAY,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._sender = sender
        self._client = client
        self._max_attempts = max_attempts
        self._first_delay = first_delay
        self._sleep = sleep

    def send(self, message: MailMessage) -> str:
        raw = build_mime(message, sender=self._sender).as_bytes()
        client = self._client or ses_client()
        delay = self._first_delay
        for attempt in range(1, self._max_attempts + 1):
            try:
                answer = client.send_raw_email(Source=self._sender, Destinations=[message.to], RawMessage={"Data": raw})
            except ClientError as error:
                code = aws_error_code(error)
                if code in RETRIED_CODES and attempt < self._max_attempts:
                    self._sleep(delay)
                    delay *= 2
                    continue
                raise MailDeliveryFailed(reason=code or "ClientError") from error
            except BotoCoreError as error:
                raise MailDeliveryFailed(reason=type(error).__name__) from error
            return answer["MessageId"]
        raise AssertionError("unreachable: the last attempt returns or raises")
