"""Where a school's platform comes from: `platform_for(uai, settings)`, for every entry point that touches it.

PlatformTarget=dynamodb: the embedded platform in the platform table (PlatformId), as `make demo` runs it.
PlatformTarget=moodle: the school's Éléa. The registry (establishments table) gives its department and
basin, hence its platform URL (PlatformUrlPattern) and platform id; the Moodle there is reached through
its web services, with that platform's own token. One deployed stack so serves every basin of the académie.

Adapters are built once per process per platform (process_cached), never per call; a school's registry
entry is read once per process too (a school does not change basin while a Lambda container lives).
"""

from __future__ import annotations

from dataclasses import dataclass

from elea.composition.process_cache import process_cached
from elea.config.platform_settings import PlatformTarget, PlatformTargetSettings
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.establishments.academy import basin_platform_url, platform_id_of_url
from elea.establishments.errors import EstablishmentNotRegistered
from elea.ports.platform import Platform


@dataclass(frozen=True)
class SchoolPlatform:
    """A school's platform as the registry names it."""

    platform_id: str
    url: str


def platform_for(uai: str, settings: PlatformTargetSettings) -> Platform:
    if settings.platform_target is PlatformTarget.DYNAMODB:
        return _dynamodb_platform(settings.platform_table, settings.platform_id)
    # Imported here: the HTTP client is loaded only by deployments that talk to a Moodle.
    from elea.composition.moodle import MoodleEndpoint, moodle_platform

    school = school_platform(uai, settings)
    return moodle_platform(MoodleEndpoint(platform_id=school.platform_id, url=school.url), settings)


def school_platform(uai: str, settings: PlatformTargetSettings) -> SchoolPlatform:
    """The school's platform: from the registry, or the one Moodle of a local `--moodle URL` run."""
    if settings.local_moodle_url is not None:
        return SchoolPlatform(platform_id=platform_id_of_url(settings.local_moodle_url), url=settings.local_moodle_url)
    return _registered_platform(uai, settings.establishments_table, settings.platform_url_pattern)


@process_cached
def _registered_platform(uai: str, establishments_table: str, url_pattern: str) -> SchoolPlatform:
    establishment = DynamoDbEstablishmentStore(establishments_table).get(uai)
    if establishment is None:
        raise EstablishmentNotRegistered(
            f"L'établissement {uai} n'est pas inscrit au registre : sa plateforme Éléa est inconnue.",
            hint="Inscrivez-le (elea-import establishment add UAI --dept XX --basin Y --name « … »), puis "
            "déposez à nouveau le fichier.",
        )
    url = basin_platform_url(url_pattern, establishment)
    return SchoolPlatform(platform_id=platform_id_of_url(url), url=url)


@process_cached
def _dynamodb_platform(table_name: str, platform_id: str) -> Platform:
    return DynamoDbPlatform(table_name, platform_id)
