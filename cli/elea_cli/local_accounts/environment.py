"""The local environment of the accounts commands: moto for DynamoDB, SES and S3, state kept on disk.

Each command opens it, works, and closes it: the tables are loaded from `{state_dir}/accounts/` at the
start and written back at the end, so registrations, tokens and login counters survive between commands.
Every e-mail is sent through SES on moto and also written as `.eml` under `{state_dir}/mail/`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import boto3
from moto import mock_aws

from elea.config.accounts_settings import AuthSettings
from elea.dal.aws_clients import reset_clients
from elea.dal.dynamodb_credentials import DynamoDbCredentialStore
from elea.dal.dynamodb_establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb_platform_directory import dynamodb_platform_directory
from elea.dal.dynamodb_platform_table import platform_table_definition
from elea.dal.dynamodb_report_mail_log import DynamoDbReportMailLog
from elea.dal.eml_mailer import EmlCopyMailer
from elea.dal.s3_report_files import S3ReportFiles
from elea.dal.ses_mailer import SesMailer
from elea.establishments.services import RegistryServices
from elea.mail.send_report import ReportMailServices
from elea.observability import logger
from elea_cli.local_accounts import settings as local
from elea_cli.local_accounts.tables import create_credentials_table, create_establishments_table

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def _create_platform_table(client: DynamoDBClient, name: str) -> None:
    client.create_table(**platform_table_definition(name))


_TABLES: dict[str, Callable[[DynamoDBClient, str], None]] = {
    local.ESTABLISHMENTS_TABLE: create_establishments_table,
    local.CREDENTIALS_TABLE: create_credentials_table,
    local.PLATFORM_TABLE: _create_platform_table,
}


def apply_local_environment() -> None:
    """Once per process: handlers read their settings from the environment at entry."""
    for name, value in local.ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    logger.setLevel("WARNING")  # the CLI prints French sentences, not JSON logs


@dataclass
class LocalAccounts:
    state_dir: Path
    mails: list[Path] = field(default_factory=list)
    _mock: Any = None

    @property
    def tables_dir(self) -> Path:
        return self.state_dir / "accounts"

    @property
    def mail_dir(self) -> Path:
        return self.state_dir / "mail"

    def __enter__(self) -> Self:
        apply_local_environment()
        self._mock = mock_aws()
        self._mock.start()
        reset_clients()
        dynamodb = boto3.client("dynamodb", region_name=local.LOCAL_REGION)
        for table, create in _TABLES.items():
            create(dynamodb, table)
            self._load(dynamodb, table)
        boto3.client("ses", region_name=local.LOCAL_REGION).verify_email_identity(EmailAddress=local.MAIL_SENDER)
        s3 = boto3.client("s3", region_name=local.LOCAL_REGION)
        s3.create_bucket(Bucket=local.REPORTS_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        try:
            dynamodb = boto3.client("dynamodb", region_name=local.LOCAL_REGION)
            # Saved even after a refusal: what was done before it (a registration) is real.
            for table in _TABLES:
                self._save(dynamodb, table)
        finally:
            self._mock.stop()
            reset_clients()

    # --- services -------------------------------------------------------------------------------
    def settings(self) -> AuthSettings:
        return AuthSettings.from_environ()

    def mailer(self) -> EmlCopyMailer:
        mailer = EmlCopyMailer(SesMailer(local.MAIL_SENDER), self.mail_dir, sender=local.MAIL_SENDER)
        # Shares the list: the command prints every .eml written during it.
        mailer.written = self.mails
        return mailer

    def registry(self) -> RegistryServices:
        settings = self.settings()
        return RegistryServices(
            establishments=DynamoDbEstablishmentStore(settings.establishments_table),
            credentials=DynamoDbCredentialStore(settings.credentials_table),
            platforms=dynamodb_platform_directory(settings.platform_table),
            mailer=self.mailer(),
            academy=settings.academy(),
            hashing=settings.hashing(),
        )

    def report_mail(self) -> ReportMailServices:
        settings = self.settings()
        return ReportMailServices(
            mailer=self.mailer(),
            files=S3ReportFiles(local.REPORTS_BUCKET),
            mail_log=DynamoDbReportMailLog(settings.establishments_table),
            establishments=DynamoDbEstablishmentStore(settings.establishments_table),
            academy=settings.academy(),
        )

    # --- state on disk ----------------------------------------------------------------------------
    def _load(self, dynamodb: DynamoDBClient, table: str) -> None:
        path = self.tables_dir / f"{table}.json"
        if not path.exists():
            return
        items = json.loads(path.read_text(encoding="utf-8"))
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            dynamodb.batch_write_item(RequestItems={table: batch})  # type: ignore[dict-item]

    def _save(self, dynamodb: DynamoDBClient, table: str) -> None:
        items: list[dict[str, Any]] = []
        for page in dynamodb.get_paginator("scan").paginate(TableName=table):
            items.extend(page["Items"])
        self.tables_dir.mkdir(parents=True, exist_ok=True)
        path = self.tables_dir / f"{table}.json"
        temporary = path.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(items, ensure_ascii=False, sort_keys=True, indent=1), encoding="utf-8")
        temporary.replace(path)  # atomic: a crash never leaves half a state
