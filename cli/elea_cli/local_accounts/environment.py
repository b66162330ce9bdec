"""The local environment of the accounts commands: the same moto stack and state dir as `run`.

Each command opens a session of the state dir's local chain (tables from template.yaml, items from
the state file), works, and closes it: the tables are written back and every e-mail SES accepted is
written as .eml under `{state_dir}/mail/`. The chain redirects stdout to its log while a session is
open: commands print once it is closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from elea.config.accounts_settings import ReportMailSettings
from elea.dal.report_step_wiring import report_mail_services
from elea.establishments.services import RegistryServices
from elea.mail.send_report import ReportMailServices
from elea_cli.local.runner import LocalChain
from elea_cli.local_accounts.auto_register import RegistrySettings, registry_services


@dataclass
class LocalAccounts:
    """What a command needs, valid while its session is open; `mails` is filled when it closes."""

    mails: list[Path] = field(default_factory=list)

    def registry(self) -> RegistryServices:
        return registry_services(RegistrySettings.from_environ())

    def report_mail(self) -> ReportMailServices:
        return report_mail_services(ReportMailSettings.from_environ())


@contextmanager
def local_accounts(state_dir: Path) -> Iterator[LocalAccounts]:
    accounts = LocalAccounts()
    with LocalChain(state_dir).session() as aws:
        yield accounts
    accounts.mails = aws.mails
