"""boto3 clients built once per process on first use (never at import time, never per call).

Map iterations run on threads and boto3's default session is not safe for concurrent client
creation, hence the lock. Clients themselves are thread-safe.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_ses import SESClient

# Standard retry mode backs off on throttling for every call.
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})
# SES: one attempt per call; SesMailer retries throttling itself, bounded and visible in tests.
_SERVICE_CONFIG = {"ses": Config(retries={"mode": "standard", "max_attempts": 1})}
_lock = threading.Lock()
_clients: dict[str, Any] = {}


def _client(service: str) -> Any:
    with _lock:
        if service not in _clients:
            config = _SERVICE_CONFIG.get(service, _CONFIG)
            _clients[service] = boto3.client(service, config=config)  # type: ignore[call-overload]
        return _clients[service]


def s3_client() -> S3Client:
    client: S3Client = _client("s3")
    return client


def dynamodb_client() -> DynamoDBClient:
    client: DynamoDBClient = _client("dynamodb")
    return client


def ses_client() -> SESClient:
    client: SESClient = _client("ses")
    return client


def secretsmanager_client() -> SecretsManagerClient:
    client: SecretsManagerClient = _client("secretsmanager")
    return client


def forget_clients() -> None:
    """For local tooling: the next call builds clients again (e.g. after changing region)."""
    with _lock:
        _clients.clear()
