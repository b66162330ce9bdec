"""API Gateway HTTP API (payload 2.0) events, as the real API sends them, for in-process handler calls."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

API_ID = "local"
DOMAIN = f"{API_ID}.execute-api.eu-west-3.amazonaws.com"


def http_event(method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    now = datetime.now(UTC)
    text = None if body is None else json.dumps(body, ensure_ascii=False)
    headers = {"host": DOMAIN, "user-agent": "elea-import", "x-forwarded-proto": "https"}
    if text is not None:
        headers |= {"content-type": "application/json", "content-length": str(len(text.encode("utf-8")))}
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": API_ID,
            "domainName": DOMAIN,
            "domainPrefix": API_ID,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "elea-import",
            },
            "requestId": uuid.uuid4().hex,
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if text is not None:
        event["body"] = text
    return event
