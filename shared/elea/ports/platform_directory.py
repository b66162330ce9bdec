"""Which Platform adapter serves a basin platform (one Éléa per département and basin)."""

from __future__ import annotations

from collections.abc import Callable

from elea.ports.platform import Platform

# platform_id (the platform's host name, see AcademySettings.platform_id) → its adapter.
PlatformDirectory = Callable[[str], Platform]
