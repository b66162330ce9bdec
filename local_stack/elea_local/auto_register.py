"""A local `run` on an unregistered UAI registers it first (with a warning), so the demo is one command."""

from __future__ import annotations

import re

from pydantic import Field

from elea.composition.registry import registry_services
from elea.config.accounts_settings import RegistrySettings
from elea.config.environment import EnvironmentSettings
from elea.establishments.errors import InvalidEstablishment
from elea.establishments.establishment import new_establishment
from elea.establishments.register import Registration, register_establishment

# The deployment's PlatformId names the basin platform: idf-77-3 → department 77, basin 3.
_PLATFORM_ID = re.compile(r"^[a-z]+-(?P<dept>[0-9]{2,3}|2[ab])-(?P<basin>[0-9]{1,2})$")


class _RunPlatform(EnvironmentSettings):
    platform_id: str = Field(alias="PLATFORM_ID", min_length=1)


def register_if_unknown(uai: str) -> Registration | None:
    """None when the UAI is already registered; otherwise registers it on the run's platform, under a
    placeholder name (`establishment add` sets the real one), and sends the activation e-mail."""
    services = registry_services(RegistrySettings.from_environ())
    if services.establishments.get(uai) is not None:
        return None
    platform_id = _RunPlatform.from_environ().platform_id
    found = _PLATFORM_ID.match(platform_id)
    if found is None:
        raise InvalidEstablishment(
            f"L'établissement {uai} n'est pas inscrit et la plateforme locale « {platform_id} » ne dit ni son "
            "département ni son bassin.",
            code="establishment_not_registered",
            hint="Inscrivez-le d'abord : elea-import establishment add UAI --dept XX --basin Y --name « … ».",
        )
    establishment = new_establishment(
        uai=uai, name=f"Établissement {uai}", department=found["dept"], basin=found["basin"]
    )
    return register_establishment(establishment, services)
