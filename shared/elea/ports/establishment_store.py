"""Where the registry of establishments is kept (DynamoDB in AWS, a dict in tests)."""

from __future__ import annotations

from typing import Protocol

from elea.establishments.establishment import Establishment


class EstablishmentStore(Protocol):
    """Adapters raise elea.errors.PlatformError on storage failures."""

    def get(self, uai: str) -> Establishment | None: ...

    def put(self, establishment: Establishment) -> None:
        """Creates or replaces the establishment (idempotent)."""
        ...
