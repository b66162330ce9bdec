"""Bodies and answers of the web API (pydantic, validated at the edge)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from elea.auth.api_models import LoginBody
from elea.models.deprovision_result import HeldPerson
from elea.models.import_record import HeldDecision
from elea.models.import_report import ImportReport
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


class ReportAnswer(ImportReport):
    """GET /api/imports/{id}/report: report.json, with `held` the people a held suspension would suspend
    (report.json's count is `held_count` here) and the decision taken on the page, if any."""

    held: list[HeldPerson]  # type: ignore[assignment]
    held_count: int
    held_decision: HeldDecision | None

    @classmethod
    def of(cls, report: ImportReport, held_decision: HeldDecision | None, still_held: int) -> ReportAnswer:
        data = report.model_dump()
        data["held_count"] = still_held
        data["held"] = data["held_people"] if still_held else []
        data["held_decision"] = held_decision
        return cls.model_validate(data)


class PlanDecisionAnswer(BaseModel):
    import_id: str
    status: str
