"""The template's Schedule events, locally: `elea-import serve` runs each scheduled function on a timer
thread, as EventBridge would (the sweep of expired « Aperçu » plans), in-process over the same moto stack."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from elea_local.cfn_template import FunctionSpec, Schedule
from elea_local.lambdas import LocalLambdaContext, load_handler

# Called after each run with (function logical id, its answer or None when it raised): tests and the log.
OnRun = Callable[[str, dict[str, Any] | None], None]


def scheduled_event(schedule: Schedule, at: datetime) -> dict[str, Any]:
    """What EventBridge delivers to a scheduled function (the handlers read nothing from it)."""
    return {
        "version": "0",
        "id": f"local-{schedule.function}-{at:%Y%m%dT%H%M%S%f}",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "time": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": [f"local:rule/{schedule.function}"],
        "detail": {},
    }


class ScheduledRunner:
    """Runs one scheduled function at start, then every `every_seconds`, until stop(); a run that raises
    is reported to `on_run` and the next one happens as usual (the real schedule retries the same way)."""

    def __init__(
        self,
        schedule: Schedule,
        spec: FunctionSpec,
        *,
        every_seconds: float | None = None,
        on_run: OnRun | None = None,
    ) -> None:
        self._schedule = schedule
        self._spec = spec
        self._every = schedule.every_seconds if every_seconds is None else every_seconds
        self._on_run = on_run
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"elea-{schedule.function}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Ends the timer and waits for a run under way to finish (never cut in the middle of a deletion)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def run_once(self) -> dict[str, Any] | None:
        handler = load_handler(self._spec)
        context = LocalLambdaContext(function_name=self._spec.logical_id, invoked_function_arn=self._spec.arn)
        answer: dict[str, Any] | None = None
        try:
            answer = handler(scheduled_event(self._schedule, datetime.now(UTC)), context)
        except Exception:  # the handler logged it; the timer must outlive one bad run
            answer = None
        if self._on_run is not None:
            self._on_run(self._spec.logical_id, answer)
        return answer

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            if self._stop.wait(self._every):
                return
