"""Entry point "Auth" (functions/auth/auth_handler.py): credentials, registry and the management accounts."""

from __future__ import annotations

from elea.auth.services import AuthServices
from elea.composition.process_cache import process_cached
from elea.config.accounts_settings import AuthSettings
from elea.dal.dynamodb.credentials import DynamoDbCredentialStore
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.platform_directory import dynamodb_platform_directory


@process_cached
def auth_services(settings: AuthSettings) -> AuthServices:
    return AuthServices(
        credentials=DynamoDbCredentialStore(settings.credentials_table),
        establishments=DynamoDbEstablishmentStore(settings.establishments_table),
        # The establishments' management accounts stay in the platform table whatever PlatformTarget says.
        platforms=dynamodb_platform_directory(settings.platform_table),
        academy=settings.academy(),
        hashing=settings.hashing(),
        login_attempt_limit=settings.login_attempt_limit,
        login_window=settings.login_window,
    )
