"""What the report e-mail says about an import, rebuilt from what the import left (record, report)."""

from __future__ import annotations

from typing import Protocol

from elea.mail.import_summary import ImportSummary


class ImportSummaries(Protocol):
    def summary(self, import_id: str) -> ImportSummary | None:
        """None when there is no such import (or it named no valid UAI: no mailbox to write to)."""
        ...
