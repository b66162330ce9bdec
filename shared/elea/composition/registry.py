"""The establishment registry (`establishment add|load|resend`, a local run's auto-registration) wired to
its AWS adapters: DynamoDB tables and SES."""

from __future__ import annotations

from elea.config.accounts_settings import RegistrySettings
from elea.dal.dynamodb.credentials import DynamoDbCredentialStore
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.platform_directory import dynamodb_platform_directory
from elea.dal.ses.mailer import SesMailer
from elea.establishments.services import RegistryServices


def registry_services(settings: RegistrySettings) -> RegistryServices:
    return RegistryServices(
        establishments=DynamoDbEstablishmentStore(settings.establishments_table),
        credentials=DynamoDbCredentialStore(settings.credentials_table),
        platforms=dynamodb_platform_directory(settings.platform_table),
        mailer=SesMailer(settings.mail_sender),
        academy=settings.academy(),
        hashing=settings.hashing(),
    )
