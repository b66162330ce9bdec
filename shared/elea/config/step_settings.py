"""The environment each step's function needs (declared per function in template.yaml)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from elea.config.environment import EnvironmentSettings
from elea.models.person import Profile
from elea.models.policy import ImportPolicy


class ParseSettings(EnvironmentSettings):
    import_bucket: str = Field(alias="IMPORT_BUCKET", min_length=1)
    imports_table: str = Field(alias="IMPORTS_TABLE", min_length=1)
    chunk_size: int = Field(alias="CHUNK_SIZE", ge=1, le=1000)
    max_upload_bytes: int = Field(alias="MAX_UPLOAD_BYTES", ge=1)
    # Read only: the registered name, to warn when an ENT export names another school.
    establishments_table: str = Field(alias="ESTABLISHMENTS_TABLE", min_length=1)


class PlatformSettings(EnvironmentSettings):
    import_bucket: str = Field(alias="IMPORT_BUCKET", min_length=1)
    platform_table: str = Field(alias="PLATFORM_TABLE", min_length=1)
    platform_id: str = Field(alias="PLATFORM_ID", min_length=1)


class ClassesSettings(PlatformSettings):
    pass


class PolicySettings(PlatformSettings):
    imported_profiles: frozenset[Profile] = Field(alias="IMPORTED_PROFILES")
    hold_min_accounts: int = Field(alias="HOLD_MIN_ACCOUNTS", ge=0)
    hold_ratio: float = Field(alias="HOLD_RATIO", ge=0, le=1)

    @field_validator("imported_profiles", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return frozenset(part.strip() for part in value.split(",") if part.strip())
        return value

    def policy(self) -> ImportPolicy:
        return ImportPolicy(
            imported_profiles=self.imported_profiles,
            hold_min_accounts=self.hold_min_accounts,
            hold_ratio=self.hold_ratio,
        )


class UsersSettings(PolicySettings):
    pass


class DeprovisionSettings(PolicySettings):
    # The held suspensions are saved on the import record.
    imports_table: str = Field(alias="IMPORTS_TABLE", min_length=1)


class ReportSettings(EnvironmentSettings):
    import_bucket: str = Field(alias="IMPORT_BUCKET", min_length=1)
    imports_table: str = Field(alias="IMPORTS_TABLE", min_length=1)


class ApprovalSettings(EnvironmentSettings):
    """`approve IMPORT_ID`: the held suspensions are on the import record, the accounts on the platform."""

    imports_table: str = Field(alias="IMPORTS_TABLE", min_length=1)
    platform_table: str = Field(alias="PLATFORM_TABLE", min_length=1)
    platform_id: str = Field(alias="PLATFORM_ID", min_length=1)
