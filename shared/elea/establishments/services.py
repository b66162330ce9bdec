"""The collaborators the registry's use cases need, injected together (adapters in AWS, fakes in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from elea.credentials.clock import Clock, utc_now
from elea.credentials.hashing import PasswordHashing
from elea.establishments.academy import AcademySettings
from elea.ports.credential_store import CredentialStore
from elea.ports.establishment_store import EstablishmentStore
from elea.ports.mailer import Mailer
from elea.ports.platform_directory import PlatformDirectory

DEFAULT_ACTIVATION_TTL = timedelta(days=7)


@dataclass(frozen=True)
class RegistryServices:
    establishments: EstablishmentStore
    credentials: CredentialStore
    platforms: PlatformDirectory
    mailer: Mailer
    academy: AcademySettings
    hashing: PasswordHashing
    clock: Clock = utc_now
    activation_ttl: timedelta = DEFAULT_ACTIVATION_TTL
