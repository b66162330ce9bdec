"""Bodies and answers of the activation and login API (pydantic, validated at the edge)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from elea.credentials.tokens import TOKEN_MAX_LENGTH

_PASSWORD_FIELD_MAX = 1024  # the policy says 128; a longer body is refused before any hashing


class ActivationBody(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    token: str = Field(min_length=1, max_length=TOKEN_MAX_LENGTH)
    new_password: str = Field(min_length=1, max_length=_PASSWORD_FIELD_MAX)


class LoginBody(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    uai: str = Field(min_length=1, max_length=32)
    password: str = Field(min_length=1, max_length=_PASSWORD_FIELD_MAX)


class ActivationAnswer(BaseModel):
    uai: str
    platform_url: str | None
    message: str = "Le compte de l'établissement est activé. Connectez-vous à votre plateforme :"


class LoginAnswer(BaseModel):
    uai: str
    platform_url: str | None
    message: str = "Connexion réussie."


class ErrorAnswer(BaseModel):
    code: str
    message: str
    hint: str | None = None
