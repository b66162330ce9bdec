"""A local `run` on an unregistered UAI: registered only when the operator names its basin
(`--basin`), the department coming from the UAI itself; otherwise refused, saying how to register.
The local platform's own id is never used to guess: a school is never e-mailed unless asked for."""

from __future__ import annotations

from pathlib import Path

from elea.composition.registry import registry_services
from elea.config.accounts_settings import RegistrySettings
from elea.domain.uai_department import department_of_uai
from elea.establishments.errors import EstablishmentNotRegistered, InvalidEstablishment
from elea.establishments.establishment import new_establishment
from elea.establishments.register import Registration, register_establishment


def register_if_unknown(uai: str, *, basin: str | None, state_dir: Path) -> Registration | None:
    """None when the UAI is already registered; otherwise registers it in its department (from the
    UAI) and the given basin, under a placeholder name (`establishment add` sets the real one), and
    sends the activation e-mail. Without a basin, refuses: nothing is written, nobody is e-mailed."""
    services = registry_services(RegistrySettings.from_environ())
    if services.establishments.get(uai) is not None:
        return None
    department = department_of_uai(uai)
    where = f" --state-dir {state_dir}"
    if department is None:
        raise InvalidEstablishment(
            f"L'établissement {uai} n'est pas inscrit, et son code UAI ne désigne aucun département connu.",
            code="uai_department_unknown",
            hint="Vérifiez le code UAI, puis inscrivez l'établissement : "
            f"elea-import establishment add {uai} --dept XX --basin Y --name « … »{where}",
        )
    if basin is None:
        raise EstablishmentNotRegistered(
            f"L'établissement {uai} n'est pas inscrit sur cette plateforme locale : rien n'a été importé, "
            "aucun courriel n'a été envoyé.",
            hint=f"Inscrivez-le d'abord : elea-import establishment add {uai} --dept {department} --basin Y "
            f"--name « … »{where} ; ou relancez l'import avec --basin Y (le bassin de l'établissement "
            f"dans le département {department}).",
        )
    establishment = new_establishment(uai=uai, name=f"Établissement {uai}", department=department, basin=basin)
    return register_establishment(establishment, services)
