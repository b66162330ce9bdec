"""Environment of the web function (issue 8), every value set in template.yaml."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from elea.config.accounts_settings import AuthSettings
from elea.config.platform_settings import PlatformTargetSettings


class WebSettings(AuthSettings, PlatformTargetSettings):
    """The page's log-in (AuthSettings) and the school's platform, for « Suspendre ces comptes »."""

    import_bucket: str = Field(alias="IMPORT_BUCKET", min_length=1)
    imports_table: str = Field(alias="IMPORTS_TABLE", min_length=1)
    sessions_table: str = Field(alias="SESSIONS_TABLE", min_length=1)
    session_idle_minutes: int = Field(alias="SESSION_IDLE_MINUTES", ge=1, le=24 * 60)
    max_upload_bytes: int = Field(alias="MAX_UPLOAD_BYTES", ge=1)
    platform_id: str = Field(alias="PLATFORM_ID", min_length=1)
    # Locally only (`elea-import serve`): moto's server, where the browser posts the file. Deployed, the
    # template does not set it and the form goes to the bucket's regional S3 endpoint.
    upload_endpoint_url: str | None = Field(default=None, alias="UPLOAD_ENDPOINT_URL")

    @property
    def session_idle(self) -> timedelta:
        return timedelta(minutes=self.session_idle_minutes)
