"""Report files in the import bucket (under reports/), and presigned GET links to them."""

from __future__ import annotations

from datetime import timedelta

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_errors import storage_error
from elea.dal.s3.bucket import S3Bucket

MAX_LINK_LIFETIME = timedelta(hours=12)  # anything longer is not "short-lived"


class S3ReportFiles(S3Bucket):
    def put(self, key: str, body: bytes, *, content_type: str) -> None:
        try:
            self._s3.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type)
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="écriture du rapport") from error

    def link(self, key: str, *, expires_in: timedelta, download_name: str) -> str:
        if not timedelta(0) < expires_in <= MAX_LINK_LIFETIME:
            raise ValueError("a report link lives between 1 s and 12 h")
        try:
            return self._s3.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self._bucket,
                    "Key": key,
                    # Downloaded, never rendered in the browser under our bucket's origin.
                    "ResponseContentDisposition": f'attachment; filename="{download_name}"',
                },
                ExpiresIn=int(expires_in.total_seconds()),
            )
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="lien vers le rapport") from error
