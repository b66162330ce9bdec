"""In-memory ReportFiles: keeps the bodies, makes recognisable links."""

from __future__ import annotations

from datetime import timedelta


class InMemoryReportFiles:
    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.links: list[tuple[str, timedelta]] = []

    def put(self, key: str, body: bytes, *, content_type: str) -> None:
        self.files[key] = (body, content_type)

    def link(self, key: str, *, expires_in: timedelta, download_name: str) -> str:
        self.links.append((key, expires_in))
        return f"https://reports.example/{key}?expires={int(expires_in.total_seconds())}&n={len(self.links)}"
