"""Where the operator commands find the DEPLOYED stack (`--deployed`): one ELEA_* variable per stack Output.

The functions read their own names (PLATFORM_TABLE…) from template.yaml; an operator's shell gets the same
values from the stack's Outputs, under ELEA_* names so that nothing else in that shell is taken for them.
Each field's description is the Output to copy. Every one is required: no default may point a command at
the wrong tables or make it send mail from the wrong identity.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Self

from pydantic import Field, ValidationError

from elea.config.accounts_settings import RegistrySettings, ReportMailSettings
from elea.config.environment import EnvironmentSettings, InvalidSettings
from elea.config.step_settings import ApprovalSettings
from elea.errors import EleaError

_HINT = (
    "Recopiez-les depuis les sorties (Outputs) de la pile déployée, par exemple : aws cloudformation "
    "describe-stacks --stack-name NOM_DE_LA_PILE --query 'Stacks[0].Outputs' ; la description de chaque "
    "sortie donne la variable à définir."
)


class DeploymentSettingsMissing(EleaError):
    code = "deployment_settings_missing"


class DeploymentSettingsInvalid(EleaError):
    code = "deployment_settings_invalid"


class DeploymentSettings(EnvironmentSettings):
    """Field alias: the operator's variable; description: the stack Output that holds its value."""

    import_bucket: str = Field(alias="ELEA_IMPORT_BUCKET", description="ImportBucketName")
    imports_table: str = Field(alias="ELEA_IMPORTS_TABLE", description="ImportsTableName")
    platform_table: str = Field(alias="ELEA_PLATFORM_TABLE", description="PlatformTableName")
    establishments_table: str = Field(alias="ELEA_ESTABLISHMENTS_TABLE", description="EstablishmentsTableName")
    credentials_table: str = Field(alias="ELEA_CREDENTIALS_TABLE", description="CredentialsTableName")
    platform_id: str = Field(alias="ELEA_PLATFORM_ID", description="PlatformId")
    mail_sender: str = Field(alias="ELEA_MAIL_SENDER", description="MailSender")
    mail_domain: str = Field(alias="ELEA_MAIL_DOMAIN", description="MailDomain")
    platform_url_pattern: str = Field(alias="ELEA_PLATFORM_URL_PATTERN", description="PlatformUrlPattern")
    activation_page_url: str = Field(alias="ELEA_ACTIVATION_PAGE_URL", description="ActivationPageUrl")
    argon2_time_cost: str = Field(alias="ELEA_ARGON2_TIME_COST", description="Argon2TimeCost")
    argon2_memory_kib: str = Field(alias="ELEA_ARGON2_MEMORY_KIB", description="Argon2MemoryKib")
    argon2_parallelism: str = Field(alias="ELEA_ARGON2_PARALLELISM", description="Argon2Parallelism")
    platform_target: str = Field(alias="ELEA_PLATFORM_TARGET", description="PlatformTarget")
    moodle_ent_auth: str = Field(alias="ELEA_MOODLE_ENT_AUTH", description="MoodleEntAuth")
    moodle_email_placeholder: str = Field(alias="ELEA_MOODLE_EMAIL_PLACEHOLDER", description="MoodleEmailPlaceholder")
    moodle_token_secret_prefix: str = Field(
        alias="ELEA_MOODLE_TOKEN_SECRET_PREFIX", description="MoodleTokenSecretPrefix"
    )
    moodle_parallel_calls: str = Field(alias="ELEA_MOODLE_PARALLEL_CALLS", description="MoodleParallelCalls")
    moodle_account_check_every: str = Field(
        alias="ELEA_MOODLE_ACCOUNT_CHECK_EVERY", description="MoodleAccountCheckEvery"
    )

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Operator variable → stack Output, in declaration order."""
        return {str(field.alias): str(field.description) for field in cls.model_fields.values()}

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Self:
        source = os.environ if environ is None else environ
        missing = [name for name in cls.variables() if not source.get(name, "").strip()]
        if missing:
            outputs = ", ".join(f"{name} (sortie {cls.variables()[name]})" for name in missing)
            raise DeploymentSettingsMissing(
                f"Pour agir sur la pile déployée, ces variables d'environnement manquent : {outputs}.", hint=_HINT
            )
        try:
            settings = cls.model_validate({name: source[name].strip() for name in cls.variables()})
            # Each command's own model checks the values now, before any AWS call.
            settings.registry().academy()
            settings.report_mail()
            settings.approval()
        except (ValidationError, InvalidSettings) as error:
            raise DeploymentSettingsInvalid(
                f"Les variables de la pile déployée ont une valeur invalide ({error}).", hint=_HINT
            ) from None
        return settings

    def function_environment(self) -> dict[str, str]:
        """The same values under the names the deployed functions read (template.yaml)."""
        return {
            "IMPORT_BUCKET": self.import_bucket,
            "IMPORTS_TABLE": self.imports_table,
            "PLATFORM_TABLE": self.platform_table,
            "ESTABLISHMENTS_TABLE": self.establishments_table,
            "CREDENTIALS_TABLE": self.credentials_table,
            "PLATFORM_ID": self.platform_id,
            "MAIL_SENDER": self.mail_sender,
            "MAIL_DOMAIN": self.mail_domain,
            "PLATFORM_URL_PATTERN": self.platform_url_pattern,
            "ACTIVATION_PAGE_URL": self.activation_page_url,
            "ARGON2_TIME_COST": self.argon2_time_cost,
            "ARGON2_MEMORY_KIB": self.argon2_memory_kib,
            "ARGON2_PARALLELISM": self.argon2_parallelism,
            "PLATFORM_TARGET": self.platform_target,
            "MOODLE_ENT_AUTH": self.moodle_ent_auth,
            "MOODLE_EMAIL_PLACEHOLDER": self.moodle_email_placeholder,
            "MOODLE_TOKEN_SECRET_PREFIX": self.moodle_token_secret_prefix,
            "MOODLE_PARALLEL_CALLS": self.moodle_parallel_calls,
            "MOODLE_ACCOUNT_CHECK_EVERY": self.moodle_account_check_every,
        }

    def registry(self) -> RegistrySettings:
        return RegistrySettings.from_environ(self.function_environment())

    def report_mail(self) -> ReportMailSettings:
        return ReportMailSettings.from_environ(self.function_environment())

    def approval(self) -> ApprovalSettings:
        return ApprovalSettings.from_environ(self.function_environment())
