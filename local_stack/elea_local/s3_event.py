"""The EventBridge event S3 sends when an object is created, as the rule delivers it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from elea_local.cfn_template import LOCAL_ACCOUNT, LOCAL_REGION


def object_created_event(bucket: str, key: str, *, size: int, etag: str, sequencer: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": LOCAL_ACCOUNT,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": LOCAL_REGION,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {"key": key, "size": size, "etag": etag, "sequencer": sequencer},
            "request-id": uuid.uuid4().hex[:16].upper(),
            "requester": LOCAL_ACCOUNT,
            "source-ip-address": "127.0.0.1",
            "reason": "PutObject",
        },
    }


def new_sequencer() -> str:
    """S3 gives every PUT of a key a new sequencer; a re-drop of the same file is a new import."""
    return uuid.uuid4().hex[:18].upper()


def matches_pattern(pattern: Any, value: Any) -> bool:
    """The subset of EventBridge patterns our rule uses: nested objects, literal lists, prefixes."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            name in value and matches_pattern(sub, value[name]) for name, sub in pattern.items()
        )
    if isinstance(pattern, list):
        return any(_matches_one(choice, value) for choice in pattern)
    raise ValueError(f"unsupported EventBridge pattern {pattern!r}")


def _matches_one(choice: Any, value: Any) -> bool:
    if isinstance(choice, dict):
        if set(choice) != {"prefix"}:
            raise ValueError(f"unsupported EventBridge pattern {choice!r}")
        return isinstance(value, str) and value.startswith(choice["prefix"])
    return bool(choice == value)
