"""In-memory EstablishmentStore."""

from __future__ import annotations

from elea.establishments.establishment import Establishment


class InMemoryEstablishmentStore:
    def __init__(self) -> None:
        self.items: dict[str, Establishment] = {}
        self.puts = 0

    def get(self, uai: str) -> Establishment | None:
        return self.items.get(uai)

    def put(self, establishment: Establishment) -> None:
        self.puts += 1
        self.items[establishment.uai] = establishment
