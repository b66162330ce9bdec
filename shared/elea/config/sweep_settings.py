"""Environment of the scheduled sweep of expired « Aperçu » plans (functions/sweep), set in template.yaml."""

from __future__ import annotations

from pydantic import Field

from elea.config.environment import EnvironmentSettings


class SweepSettings(EnvironmentSettings):
    import_bucket: str = Field(alias="IMPORT_BUCKET", min_length=1)
    imports_table: str = Field(alias="IMPORTS_TABLE", min_length=1)
