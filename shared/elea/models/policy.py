from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from elea.models.person import Profile

DEFAULT_IMPORTED_PROFILES = frozenset({Profile.STUDENT, Profile.TEACHER, Profile.PERSONNEL})


class ImportPolicy(BaseModel):
    """Per-platform import settings. Parents and guests are not imported unless a platform says so."""

    model_config = ConfigDict(frozen=True)

    imported_profiles: frozenset[Profile] = DEFAULT_IMPORTED_PROFILES
    # Suspensions beyond max(hold_min_accounts, hold_ratio × accounts of the UAI) are held.
    hold_min_accounts: int = Field(default=20, ge=0)
    hold_ratio: float = Field(default=0.10, ge=0, le=1)

    def suspension_limit(self, accounts_of_uai: int) -> int:
        # In decimal: in binary floating point 0.29 × 100 is 28.999…, which would hold a 29th suspension
        # that HOLD_RATIO=0.29 allows.
        return max(self.hold_min_accounts, int(Decimal(str(self.hold_ratio)) * accounts_of_uai))
