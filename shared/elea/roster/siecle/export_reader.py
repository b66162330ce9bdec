"""What the SIECLE and STS-web readers share: the UAI and the export date the file declares, and the
roster built at the end of the file from the elements each reader kept (assemble.py)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Generic

from elea.models.issue import Issue
from elea.models.person import Person
from elea.models.roster import Roster, RosterFormat
from elea.roster.siecle.assemble import Element, assemble_roster
from elea.roster.siecle.element_reader import ElementPath
from elea.roster.siecle.export_date import ExportDate
from elea.roster.siecle.file_uai import DeclaredUai


class ExportReader(ABC, Generic[Element]):
    def __init__(
        self, roster_format: RosterFormat, root: str, source_name: str, encoding: str, *, max_errors: int
    ) -> None:
        self._format = roster_format
        self._source_name = source_name
        self._encoding = encoding
        self._uai = DeclaredUai(source_name)
        self._export_date = ExportDate(root)
        self._max_errors = max_errors

    def start(self, path: ElementPath, attributes: Mapping[str, str], line: int) -> None:
        self._uai.start(path, attributes, line)

    def end(self, path: ElementPath, text: str, line: int) -> None:
        self._uai.end(path, text, line)
        self._export_date.end(path, text)

    def finish(self) -> Roster:
        return assemble_roster(
            self._format,
            encoding=self._encoding,
            uai=self._uai.uai(),
            content_date=self._export_date.day,
            elements=self._kept(),
            person_or_issue=self._person_or_issue,
            source_name=self._source_name,
            max_errors=self._max_errors,
        )

    @abstractmethod
    def _kept(self) -> list[Element]:
        """The elements read, in file order, each to become a person or an issue."""

    @abstractmethod
    def _person_or_issue(self, element: Element, seen_ids: set[str], issues: list[Issue]) -> Person | None: ...
