"""A RegistryServices wired with in-memory fakes, for the registry, auth and mail tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from elea.establishments.academy import AcademySettings
from elea.establishments.services import RegistryServices
from tests.fakes.cheap_hashing import cheap_hashing
from tests.fakes.clocks import ManualClock
from tests.fakes.memory_credentials import InMemoryCredentialStore
from tests.fakes.memory_establishments import InMemoryEstablishmentStore
from tests.fakes.memory_mailer import InMemoryMailer
from tests.fakes.memory_platform import InMemoryPlatform

ACTIVATION_PAGE = "https://auth.elea.example/activation"


@dataclass
class FakeRegistry:
    establishments: InMemoryEstablishmentStore = field(default_factory=InMemoryEstablishmentStore)
    credentials: InMemoryCredentialStore = field(default_factory=InMemoryCredentialStore)
    mailer: InMemoryMailer = field(default_factory=InMemoryMailer)
    clock: ManualClock = field(default_factory=ManualClock)
    platforms: dict[str, InMemoryPlatform] = field(default_factory=dict)
    academy: AcademySettings = field(default_factory=lambda: AcademySettings(activation_page_url=ACTIVATION_PAGE))

    def platform(self, platform_id: str) -> InMemoryPlatform:
        return self.platforms.setdefault(platform_id, InMemoryPlatform())

    def services(self) -> RegistryServices:
        return RegistryServices(
            establishments=self.establishments,
            credentials=self.credentials,
            platforms=self.platform,
            mailer=self.mailer,
            academy=self.academy,
            hashing=cheap_hashing(),
            clock=self.clock,
        )
