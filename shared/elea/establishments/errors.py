"""Errors of the establishment registry: French message for people, stable English code for machines."""

from __future__ import annotations

from elea.errors import EleaError


class InvalidEstablishment(EleaError):
    """One field of an establishment is not acceptable (UAI, name, department, basin)."""

    code = "invalid_establishment"


class EstablishmentNotRegistered(EleaError):
    code = "establishment_not_registered"


class EstablishmentPlatformChanged(EleaError):
    """A registered establishment cannot silently move to another basin platform: its account lives there."""

    code = "establishment_platform_changed"


class EstablishmentFileRefused(EleaError):
    """The whole establishments file is refused (empty, not text, no header)."""

    code = "establishment_file_refused"

    def __init__(self, message: str, *, code: str, file: str, hint: str | None = None) -> None:
        super().__init__(message, code=code, hint=hint)
        self.file = file


class ManagerUsernameTaken(EleaError):
    """The school's management username (its UAI) is already held by another account of the platform."""

    code = "manager_username_taken"
