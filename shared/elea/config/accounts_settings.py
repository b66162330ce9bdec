"""Environment of the functions that deal with establishments, credentials and e-mails.

Every field is required and set in template.yaml: no hidden default decides a security parameter.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, Self, TypeVar

from argon2 import PasswordHasher
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from elea.credentials.hashing import PasswordHashing
from elea.errors import EleaError
from elea.establishments.academy import AcademySettings


class InvalidAccountsSettings(EleaError):
    code = "invalid_settings"


class _FromEnviron(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Self:
        try:
            return cls.model_validate(dict(os.environ if environ is None else environ))
        except ValidationError as error:
            names = sorted({str(detail["loc"][0]) for detail in error.errors() if detail["loc"]})
            raise InvalidAccountsSettings(
                f"Configuration de la fonction incomplète ou invalide : {', '.join(names)}.",
                hint="Vérifiez les variables d'environnement déclarées dans template.yaml.",
            ) from None


class AcademyEnvironment(_FromEnviron):
    platform_url_pattern: str = Field(alias="PLATFORM_URL_PATTERN", min_length=1)
    mail_domain: str = Field(alias="MAIL_DOMAIN", min_length=1)
    activation_page_url: str = Field(alias="ACTIVATION_PAGE_URL", min_length=1)

    def academy(self) -> AcademySettings:
        return AcademySettings(
            platform_url_pattern=self.platform_url_pattern,
            mail_domain=self.mail_domain,
            activation_page_url=self.activation_page_url,
        )


class PasswordHashingEnvironment(_FromEnviron):
    """argon2id cost; the template sets RFC 9106's low-memory profile (t=3, 64 MiB, p=4)."""

    argon2_time_cost: int = Field(alias="ARGON2_TIME_COST", ge=1, le=10)
    argon2_memory_kib: int = Field(alias="ARGON2_MEMORY_KIB", ge=8, le=262_144)
    argon2_parallelism: int = Field(alias="ARGON2_PARALLELISM", ge=1, le=8)

    def hashing(self) -> PasswordHashing:
        return PasswordHashing(
            PasswordHasher(
                time_cost=self.argon2_time_cost,
                memory_cost=self.argon2_memory_kib,
                parallelism=self.argon2_parallelism,
            )
        )


class AuthSettings(AcademyEnvironment, PasswordHashingEnvironment):
    credentials_table: str = Field(alias="CREDENTIALS_TABLE", min_length=1)
    establishments_table: str = Field(alias="ESTABLISHMENTS_TABLE", min_length=1)
    platform_table: str = Field(alias="PLATFORM_TABLE", min_length=1)
    login_attempt_limit: int = Field(alias="LOGIN_ATTEMPT_LIMIT", ge=1, le=100)
    login_window_minutes: int = Field(alias="LOGIN_WINDOW_MINUTES", ge=1, le=24 * 60)

    @property
    def login_window(self) -> timedelta:
        return timedelta(minutes=self.login_window_minutes)


LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]
S = TypeVar("S", bound=_FromEnviron)


def validated_accounts_env(settings_model: type[S]) -> Callable[[Callable[..., dict[str, Any]]], LambdaHandler]:
    """Outermost decorator: validates the environment, then passes `settings=` down to the handler body."""

    def decorate(handler: Callable[..., dict[str, Any]]) -> LambdaHandler:
        @functools.wraps(handler)
        def entry(event: dict[str, Any], context: Any) -> dict[str, Any]:
            return handler(event, context, settings=settings_model.from_environ())

        return entry

    return decorate
