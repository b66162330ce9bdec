"""boto3 clients, created once per process on first use (never at import time, never per call)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_ses import SESClient

# Standard retry mode already backs off on throttling for every call.
_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})


@cache
def dynamodb_client() -> DynamoDBClient:
    return boto3.client("dynamodb", config=_CONFIG)


@cache
def s3_client() -> S3Client:
    # SigV4 so presigned URLs work in every region.
    return boto3.client("s3", config=_CONFIG.merge(Config(signature_version="s3v4")))


@cache
def ses_client() -> SESClient:
    # One attempt per call: SesMailer retries throttling itself, bounded and visible in tests.
    return boto3.client("ses", config=Config(retries={"mode": "standard", "max_attempts": 1}))


def reset_clients() -> None:
    """For the local runner and tests: the next call builds clients against the current (moto) endpoints."""
    dynamodb_client.cache_clear()
    s3_client.cache_clear()
    ses_client.cache_clear()
