"""The import bucket (dropped file, staging chunks, reports) on S3."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_errors import MISSING_OBJECT_CODES, aws_error_code, storage_error
from elea.dal.s3.bucket import S3Bucket

if TYPE_CHECKING:
    from mypy_boto3_s3.type_defs import ObjectIdentifierTypeDef

T = TypeVar("T")

# DeleteObjects takes at most 1,000 keys per call.
_DELETE_BATCH = 1000
# An export is at most 20 MB: one stream to /tmp, not ten threads each buffering 8 MB parts in memory.
_DOWNLOAD = TransferConfig(use_threads=False)


class S3StagingStore(S3Bucket):
    def size(self, key: str) -> int | None:
        try:
            return int(self._s3.head_object(Bucket=self._bucket, Key=key)["ContentLength"])
        except ClientError as error:
            if aws_error_code(error) in MISSING_OBJECT_CODES:
                return None
            raise storage_error(error, operation="lecture des métadonnées") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="lecture des métadonnées") from error

    def metadata(self, key: str) -> dict[str, str] | None:
        try:
            return dict(self._s3.head_object(Bucket=self._bucket, Key=key).get("Metadata", {}))
        except ClientError as error:
            if aws_error_code(error) in MISSING_OBJECT_CODES:
                return None
            raise storage_error(error, operation="lecture du fichier déposé") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="lecture du fichier déposé") from error

    def copy_in_place(self, key: str, metadata: dict[str, str]) -> None:
        self._call(
            lambda: self._s3.copy_object(
                Bucket=self._bucket,
                Key=key,
                CopySource={"Bucket": self._bucket, "Key": key},
                Metadata=metadata,
                MetadataDirective="REPLACE",
            ),
            "relance du fichier déposé",
        )

    def download(self, key: str, destination: Path) -> None:
        self._call(
            lambda: self._s3.download_file(self._bucket, key, str(destination), Config=_DOWNLOAD), "téléchargement"
        )

    def get(self, key: str) -> bytes | None:
        try:
            return self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except ClientError as error:
            if aws_error_code(error) in MISSING_OBJECT_CODES:
                return None
            raise storage_error(error, operation="lecture") from error
        except BotoCoreError as error:
            raise storage_error(error, operation="lecture") from error

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self._call(
            lambda: self._s3.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type),
            "écriture",
        )

    def delete(self, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), _DELETE_BATCH):
            batch: list[ObjectIdentifierTypeDef] = [{"Key": key} for key in keys[start : start + _DELETE_BATCH]]
            try:
                response = self._s3.delete_objects(Bucket=self._bucket, Delete={"Objects": batch, "Quiet": True})
            except (ClientError, BotoCoreError) as error:
                raise storage_error(error, operation="suppression") from error
            if response.get("Errors"):
                codes = sorted({str(error.get("Code", "")) for error in response["Errors"]})
                raise storage_error(
                    ClientError({"Error": {"Code": ",".join(codes), "Message": ""}}, "DeleteObjects"),
                    operation="suppression",
                )

    def delete_prefix(self, prefix: str) -> int:
        keys: list[str] = []
        paginator = self._s3.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
                keys.extend(item["Key"] for item in page.get("Contents", []))
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="liste") from error
        self.delete(keys)
        return len(keys)

    @staticmethod
    def _call(operation: Callable[[], T], what: str) -> T:
        try:
            return operation()
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation=what) from error
