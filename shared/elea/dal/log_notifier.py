"""A notifier that only logs (id, status, counts): the explicit choice until the report e-mail
(issue 4) is wired in. Never names or logins."""

from __future__ import annotations

from elea.models.import_record import ImportRecord
from elea.observability import logger


class LogOnlyNotifier:
    def import_finished(self, record: ImportRecord) -> None:
        logger.info(
            "import finished",
            extra={
                "import_id": record.import_id,
                "status": record.status.value,
                "counts": None if record.counts is None else record.counts.model_dump(),
                "held": len(record.held),
            },
        )
