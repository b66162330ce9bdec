"""Which platform a step writes to (template parameter PlatformTarget) and how it reaches a school's Moodle.

- `dynamodb`: the embedded platform in the platform table (the local default of `make demo`).
- `moodle`: the school's Éléa, i.e. the Moodle at its platform URL in the registry (establishments table
  and PlatformUrlPattern), over its web services; the token is that platform's secret in Secrets Manager
  (`{MoodleTokenSecretPrefix}{platform id}`).

Locally, `elea-import run|approve --moodle URL` sets LOCAL_MOODLE_URL: every school of that run goes to that
Moodle and the token comes from ELEA_MOODLE_TOKEN or the file named by ELEA_MOODLE_TOKEN_FILE, never from a
command-line argument. The template never sets it.
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import Field, field_validator

from elea.config.environment import EnvironmentSettings
from elea.establishments.academy import AcademySettings

# RFC 2606 reserves .invalid: an address there can never be delivered.
# {username} and {uai} are replaced (elea.dal.moodle.mapping).
EMAIL_PLACEHOLDER_PATTERN = r"^[A-Za-z0-9._+-]*\{username\}[A-Za-z0-9._+-]*@(([A-Za-z0-9-]|\{uai\})+\.)*invalid$"
# Moodle auth plugin names are lowercase letters, digits and underscores (cas, shibboleth, oauth2…).
ENT_AUTH_PATTERN = r"^[a-z][a-z0-9_]*$"
# Secrets Manager names: letters, digits and /_+=.@-
SECRETS_MANAGER_NAME_CHARS = r"^[A-Za-z0-9/_+=.@-]+$"


class PlatformTarget(StrEnum):
    MOODLE = "moodle"
    DYNAMODB = "dynamodb"


class PlatformTargetSettings(EnvironmentSettings):
    platform_table: str = Field(alias="PLATFORM_TABLE", min_length=1)
    platform_id: str = Field(alias="PLATFORM_ID", min_length=1)
    platform_target: PlatformTarget = Field(alias="PLATFORM_TARGET")
    moodle_ent_auth: str = Field(alias="MOODLE_ENT_AUTH", pattern=ENT_AUTH_PATTERN)
    moodle_email_placeholder: str = Field(alias="MOODLE_EMAIL_PLACEHOLDER", pattern=EMAIL_PLACEHOLDER_PATTERN)
    moodle_token_secret_prefix: str = Field(alias="MOODLE_TOKEN_SECRET_PREFIX", pattern=SECRETS_MANAGER_NAME_CHARS)
    # Calls one step sends at once for a large volume (template MoodleParallelCalls).
    moodle_parallel_calls: int = Field(alias="MOODLE_PARALLEL_CALLS", ge=1, le=8)
    # Every roster account read at least once in this many imports of its school (MoodleAccountCheckEvery).
    moodle_account_check_every: int = Field(alias="MOODLE_ACCOUNT_CHECK_EVERY", ge=1, le=10)
    # The registry: a school's platform URL is made from its department and basin.
    establishments_table: str = Field(alias="ESTABLISHMENTS_TABLE", min_length=1)
    platform_url_pattern: str = Field(alias="PLATFORM_URL_PATTERN", min_length=1)
    # Local runs only (`--moodle URL`); unset means "each school's platform URL, from the registry".
    local_moodle_url: str | None = Field(default=None, alias="LOCAL_MOODLE_URL")

    @field_validator("platform_url_pattern")
    @classmethod
    def _url_pattern(cls, value: str) -> str:
        # The same checks as the academy's (https, {dept}, {basin}, trailing slash).
        AcademySettings(platform_url_pattern=value, activation_page_url="https://check.invalid/activation")
        return value

    @field_validator("local_moodle_url")
    @classmethod
    def _local_url(cls, value: str | None) -> str | None:
        if value is not None and re.match(r"^https?://[^/\s]+", value) is None:
            raise ValueError("LOCAL_MOODLE_URL doit être une adresse http(s)://…")
        return value
