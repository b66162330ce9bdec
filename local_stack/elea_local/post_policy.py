"""What S3 checks on a browser's presigned POST, which moto's server does not: the SigV4 signature of
the policy, its expiry, and every condition (exact key, size range, metadata, no unlisted field).

`elea-import serve` puts this in front of moto, so a forged form (another school's key, a bigger file,
a policy the web function never signed) is refused locally as S3 refuses it in AWS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# Form fields S3 does not require the policy to name.
_UNSIGNED_FIELDS = {"policy", "x-amz-signature", "file"}


class PostRefused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class PostedObject:
    bucket: str
    key: str


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _signature(secret: str, credential: str, policy: str) -> str:
    _, date, region, service, _ = [*credential.split("/"), "", "", "", "", ""][:5]
    key = _hmac(f"AWS4{secret}".encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, policy.encode("utf-8"), hashlib.sha256).hexdigest()


def check_post(
    bucket: str, fields: dict[str, str], size: int, *, secret: str, now: datetime | None = None
) -> PostedObject:
    """Raises PostRefused (status, S3 error code) unless S3 would accept this form."""
    policy_text = fields.get("policy", "")
    credential = fields.get("x-amz-credential", "")
    given = fields.get("x-amz-signature", "")
    if not policy_text or not credential or not given:
        raise PostRefused(403, "AccessDenied", "missing policy or signature")
    if not hmac.compare_digest(_signature(secret, credential, policy_text), given):
        raise PostRefused(403, "SignatureDoesNotMatch", "the policy is not signed by this stack")
    try:
        policy: dict[str, Any] = json.loads(base64.b64decode(policy_text))
        expiration = datetime.fromisoformat(str(policy["expiration"]).replace("Z", "+00:00"))
        conditions: list[Any] = list(policy["conditions"])
    except (ValueError, KeyError, TypeError):
        raise PostRefused(400, "InvalidPolicyDocument", "unreadable policy") from None
    if (now or datetime.now(UTC)) >= expiration:
        raise PostRefused(403, "AccessDenied", "the policy has expired")
    values = {**fields, "bucket": bucket}
    named: set[str] = {"bucket"}
    for condition in conditions:
        _check_condition(condition, values, size, named)
    unlisted = {name for name in fields if name.lower() not in _UNSIGNED_FIELDS} - named
    if unlisted:
        raise PostRefused(403, "AccessDenied", f"fields not in the policy: {sorted(unlisted)}")
    return PostedObject(bucket=bucket, key=fields.get("key", ""))


def _check_condition(condition: Any, values: dict[str, str], size: int, named: set[str]) -> None:
    if isinstance(condition, dict):
        for name, expected in condition.items():
            named.add(name.lower())
            if values.get(name) != str(expected):
                raise PostRefused(403, "AccessDenied", f"condition failed: {name}")
        return
    if isinstance(condition, list) and len(condition) == 3:
        operator, first, second = condition
        if operator == "content-length-range":
            if not int(first) <= size <= int(second):
                code = "EntityTooLarge" if size > int(second) else "EntityTooSmall"
                raise PostRefused(400, code, "size outside content-length-range")
            return
        name = str(first).removeprefix("$")
        named.add(name.lower())
        value = values.get(name, "")
        if (operator == "eq" and value != second) or (operator == "starts-with" and not value.startswith(second)):
            raise PostRefused(403, "AccessDenied", f"condition failed: {name}")
        if operator in ("eq", "starts-with"):
            return
    raise PostRefused(400, "InvalidPolicyDocument", "unknown condition")
