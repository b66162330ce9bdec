"""Who learns that an import ended. The e-mail to the establishment's mailbox (issue 4) plugs in here."""

from __future__ import annotations

from typing import Protocol

from elea.models.import_record import ImportRecord


class ImportNotifier(Protocol):
    def import_finished(self, record: ImportRecord) -> None:
        """Called once the report is written and the export deleted, completed or not.
        Raises on failure: the step is then retried, and the record is already final."""
        ...
