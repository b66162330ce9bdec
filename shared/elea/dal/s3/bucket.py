"""What every S3 adapter shares: its bucket name and the process's client (or the one it is given)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from elea.dal.aws_clients import s3_client

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class S3Bucket:
    def __init__(self, bucket: str, client: S3Client | None = None) -> None:
        self._bucket = bucket
        self._client = client

    @property
    def _s3(self) -> S3Client:
        # Looked up at use, not at construction: the process's client, unless one was given (e.g. the
        # presigner's path-style client for moto's server on loopback).
        return self._client or s3_client()
