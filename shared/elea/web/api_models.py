"""Bodies and answers of the web API (pydantic, validated at the edge)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from elea.auth.api_models import LoginBody
from elea.ports.upload_presigner import UploadForm


class SessionBody(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    username: str = Field(min_length=1, max_length=32)
    password: str = Field(min_length=1, max_length=1024)

    def as_login(self) -> LoginBody:
        return LoginBody(uai=self.username, password=self.password)


class SessionAnswer(BaseModel):
    csrf_token: str
    uai: str


class PasswordChangeAnswer(BaseModel):
    code: str
    message: str
    hint: str | None
    activation_url: str


class EstablishmentAnswer(BaseModel):
    uai: str
    name: str | None
    platform_url: str | None
    dry_run_default: bool


class UploadBody(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file_name: str = Field(min_length=1, max_length=1024)
    size: int = Field(ge=0)
    dry_run: bool = False


class UploadAnswer(BaseModel):
    upload_id: str
    url: str
    fields: dict[str, str]

    @classmethod
    def of(cls, upload_id: str, form: UploadForm) -> UploadAnswer:
        return cls(upload_id=upload_id, url=form.url, fields=form.fields)


class UploadStateAnswer(BaseModel):
    import_id: str | None


class HeldBody(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    decision: Literal["suspend", "keep"]


class LoggedOut(BaseModel):
    message: str = "Vous êtes déconnecté."
