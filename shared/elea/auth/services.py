"""Collaborators of the activation and login use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from elea.credentials.clock import Clock, utc_now
from elea.credentials.hashing import PasswordHashing
from elea.establishments.academy import AcademySettings
from elea.ports.credential_store import CredentialStore
from elea.ports.establishment_store import EstablishmentStore
from elea.ports.platform_directory import PlatformDirectory

DEFAULT_LOGIN_ATTEMPT_LIMIT = 5
DEFAULT_LOGIN_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class AuthServices:
    credentials: CredentialStore
    establishments: EstablishmentStore
    platforms: PlatformDirectory
    academy: AcademySettings
    hashing: PasswordHashing
    clock: Clock = utc_now
    login_attempt_limit: int = DEFAULT_LOGIN_ATTEMPT_LIMIT
    login_window: timedelta = DEFAULT_LOGIN_WINDOW
