"""Environment of the functions that deal with establishments, credentials and e-mails.

Every field is required and set in template.yaml: no hidden default decides a security parameter.
"""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from pydantic import Field

from elea.config.environment import EnvironmentSettings
from elea.config.step_settings import ReportSettings, UsersSettings
from elea.credentials.hashing import PasswordHashing
from elea.credentials.local_passwords import PasswordRenewal
from elea.establishments.academy import AcademySettings


class AcademyEnvironment(EnvironmentSettings):
    platform_url_pattern: str = Field(alias="PLATFORM_URL_PATTERN", min_length=1)
    mail_domain: str = Field(alias="MAIL_DOMAIN", min_length=1)
    activation_page_url: str = Field(alias="ACTIVATION_PAGE_URL", min_length=1)

    def academy(self) -> AcademySettings:
        return AcademySettings(
            platform_url_pattern=self.platform_url_pattern,
            mail_domain=self.mail_domain,
            activation_page_url=self.activation_page_url,
        )


class PasswordHashingEnvironment(EnvironmentSettings):
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


class ReportMailSettings(ReportSettings, AcademyEnvironment):
    """The report steps: the import bucket and records, plus what the report e-mail needs."""

    establishments_table: str = Field(alias="ESTABLISHMENTS_TABLE", min_length=1)
    mail_sender: str = Field(alias="MAIL_SENDER", min_length=3)


class ReportStepSettings(ReportMailSettings):
    """The report step, which also records the plans of « Aperçu » imports (issue 8)."""

    plan_decision_minutes: int = Field(alias="PLAN_DECISION_MINUTES", ge=1, le=1440)

    @property
    def plan_decision_window(self) -> timedelta:
        return timedelta(minutes=self.plan_decision_minutes)


class RegistrySettings(AcademyEnvironment, PasswordHashingEnvironment):
    """Registering establishments (the CLI, and a local run on an unregistered UAI)."""

    establishments_table: str = Field(alias="ESTABLISHMENTS_TABLE", min_length=1)
    credentials_table: str = Field(alias="CREDENTIALS_TABLE", min_length=1)
    platform_table: str = Field(alias="PLATFORM_TABLE", min_length=1)
    mail_sender: str = Field(alias="MAIL_SENDER", min_length=3)


class UsersStepSettings(UsersSettings, PasswordHashingEnvironment):
    """The users step, with what SIECLE people's initial passwords need (issue 4)."""

    # Issue 8: each chunk adds its people to the import's live progress.
    imports_table: str = Field(alias="IMPORTS_TABLE", min_length=1)

    credentials_table: str = Field(alias="CREDENTIALS_TABLE", min_length=1)
    siecle_initial_passwords: PasswordRenewal = Field(alias="SIECLE_INITIAL_PASSWORDS")
