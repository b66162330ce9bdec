"""The browser's upload as an S3 presigned POST: the policy pins the exact key, the size range and the
metadata, so the page can only write the one object the session was given."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_errors import storage_error
from elea.dal.s3.bucket import S3Bucket
from elea.ports.upload_presigner import UploadForm


def _meta(name: str) -> str:
    return f"x-amz-meta-{name}"


class S3UploadPresigner(S3Bucket):
    def presign(self, *, key: str, max_bytes: int, metadata: dict[str, str], expires_seconds: int) -> UploadForm:
        fields = {_meta(name): value for name, value in metadata.items()}
        conditions: list[Any] = [
            {"bucket": self._bucket},
            {"key": key},
            ["content-length-range", 1, max_bytes],
            *({name: value} for name, value in fields.items()),
        ]
        try:
            answer = self._s3.generate_presigned_post(
                Bucket=self._bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_seconds
            )
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="préparation du dépôt") from error
        return UploadForm(url=str(answer["url"]), fields={name: str(value) for name, value in answer["fields"].items()})
