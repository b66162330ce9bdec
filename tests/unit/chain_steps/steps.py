"""Builders for the chain-step tests: events, requests and a fixed clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from elea.models.object_created import ObjectCreated
from elea.models.step_inputs import ParseRequest

EVENTS = Path(__file__).resolve().parents[2] / "events"
UAI = "0771234Y"  # the SIECLE samples' school
OTHER_UAI = "0750654D"
EXECUTION = "arn:aws:states:eu-west-3:123456789012:execution:import:first"
OTHER_EXECUTION = "arn:aws:states:eu-west-3:123456789012:execution:import:second"
NOW = datetime(2026, 9, 14, 7, 42, tzinfo=UTC)


def now() -> datetime:
    return NOW


def event(key: str, *, sequencer: str = "0066E53E236E4F0B53") -> dict[str, Any]:
    sample: dict[str, Any] = json.loads((EVENTS / "object_created.json").read_text(encoding="utf-8"))
    sample["detail"]["object"]["key"] = key
    sample["detail"]["object"]["sequencer"] = sequencer
    return sample


def parse_request(key: str, *, execution: str = EXECUTION) -> ParseRequest:
    return ParseRequest(event=ObjectCreated.model_validate(event(key)), execution_id=execution)
