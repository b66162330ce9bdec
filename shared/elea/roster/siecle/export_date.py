"""When a SIECLE or STS-web export was made: PARAMETRES/HORODATAGE ("02/09/2025 08:15:00"), else
PARAMETRES/DATE_EXPORT ("02/09/2025"). Used to recognise an older export than the last one imported."""

from __future__ import annotations

from datetime import date

from elea.roster.content_dates import day_of
from elea.roster.siecle.element_reader import ElementPath


class ExportDate:
    def __init__(self, root: str) -> None:
        self._timestamp = (root, "PARAMETRES", "HORODATAGE")
        self._export_day = (root, "PARAMETRES", "DATE_EXPORT")
        self._found: dict[ElementPath, date] = {}

    def end(self, path: ElementPath, text: str) -> None:
        if path in (self._timestamp, self._export_day) and (day := day_of(text)) is not None:
            self._found[path] = day

    @property
    def day(self) -> date | None:
        return self._found.get(self._timestamp) or self._found.get(self._export_day)
