"""Handler settings come from the environment, validated at entry: no defaults for required settings."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from elea.errors import EleaError

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


class InvalidSettings(EleaError):
    code = "invalid_settings"


class EnvironmentSettings(BaseModel):
    """Fields are declared with the environment variable as alias and no default."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Self:
        source = os.environ if environ is None else environ
        try:
            return cls.model_validate(dict(source))
        except ValidationError as error:
            names = sorted({str(detail["loc"][0]) for detail in error.errors() if detail["loc"]})
            raise InvalidSettings(
                f"Configuration de la fonction incomplète ou invalide : {', '.join(names)}.",
                hint="Vérifiez les variables d'environnement déclarées dans template.yaml.",
            ) from None


S = TypeVar("S", bound=EnvironmentSettings)


def validated_env(settings_model: type[S]) -> Callable[[Callable[..., dict[str, Any]]], LambdaHandler]:
    """Outermost handler decorator: validates the environment, then passes `settings=` down through
    the Powertools decorators (which forward keyword arguments) to the handler body."""

    def decorate(handler: Callable[..., dict[str, Any]]) -> LambdaHandler:
        @functools.wraps(handler)
        def entry(event: dict[str, Any], context: Any) -> dict[str, Any]:
            settings = settings_model.from_environ()
            return handler(event, context, settings=settings)

        return entry

    return decorate
