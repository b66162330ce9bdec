"""Report step: the chunks' staged password fragments become the import's « fiches de connexion »."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from elea.credentials.chunk_passwords import read_sheet_fragment, sheet_fragment_key
from elea.credentials.login_sheets import LoginSheetRow
from elea.credentials.publish_sheets import PublishedSheets, publish_login_sheets
from elea.establishments.academy import AcademySettings
from elea.ports.establishment_store import EstablishmentStore
from elea.ports.report_files import ReportFiles
from elea.ports.staging import StagingStore


class LoginSheetsPublisher:
    def __init__(
        self,
        *,
        staging: StagingStore,
        files: ReportFiles,
        establishments: EstablishmentStore,
        academy: AcademySettings,
        now: Callable[[], datetime],
    ) -> None:
        self._staging = staging
        self._files = files
        self._establishments = establishments
        self._academy = academy
        self._now = now

    def publish(
        self, *, uai: str, import_id: str, staging_prefix: str, chunk_indexes: Sequence[int]
    ) -> PublishedSheets | None:
        """Before the staging is deleted. A retry after it was deleted finds no fragment and leaves
        the sheets already written alone."""
        rows: list[LoginSheetRow] = []
        for index in sorted(chunk_indexes):
            rows.extend(read_sheet_fragment(self._staging, sheet_fragment_key(staging_prefix, index)) or [])
        if not rows:
            return None
        establishment = self._establishments.get(uai)
        return publish_login_sheets(
            rows,
            uai=uai,
            import_id=import_id,
            school_name=establishment.name if establishment is not None else None,
            platform_url=self._academy.platform_url(establishment) if establishment is not None else None,
            generated_at=self._now(),
            files=self._files,
        )
