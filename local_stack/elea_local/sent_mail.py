"""Local runs: every e-mail SES (moto) accepted is written as an .eml file a new user can open.

The file is the raw message SES received, byte for byte: what the school would get.
"""

from __future__ import annotations

import email
from email.utils import parseaddr
from pathlib import Path

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from elea_local.cfn_template import LOCAL_REGION


def write_sent_mail(directory: Path, *, already_written: int = 0) -> list[Path]:
    """Writes the messages sent since the mock started (after the first `already_written`), numbered
    after the files already in `directory`: `0003-import_report-0771234Y.eml`."""
    sent = ses_backends[DEFAULT_ACCOUNT_ID][LOCAL_REGION].sent_messages[already_written:]
    if not sent:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    number = len(list(directory.glob("*.eml")))
    written = []
    for message in sent:
        raw = getattr(message, "raw_data", None)
        if raw is None:  # SendEmail (not raw): we never use it; nothing to write faithfully
            continue
        parsed = email.message_from_string(raw)
        kind = parsed.get("X-Elea-Kind", "mail")
        recipient = parseaddr(parsed.get("To", ""))[1].split("@", 1)[0].upper() or "inconnu"
        number += 1
        path = directory / f"{number:04d}-{kind}-{recipient}.eml"
        path.write_text(raw, encoding="utf-8")
        written.append(path)
    return written


def sent_count() -> int:
    return len(ses_backends[DEFAULT_ACCOUNT_ID][LOCAL_REGION].sent_messages)
