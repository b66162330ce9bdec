"""Files offered to the manager (per-row report, login sheets) and the short-lived links to them."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol


class ReportFiles(Protocol):
    """S3 under `reports/` (and `login-sheets/`) in AWS. Adapters raise elea.errors.PlatformError on failures."""

    def put(self, key: str, body: bytes, *, content_type: str) -> None: ...

    def link(self, key: str, *, expires_in: timedelta, download_name: str) -> str:
        """A link that works without an account and stops working after `expires_in`."""
        ...
