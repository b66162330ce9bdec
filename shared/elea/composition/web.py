"""The web function's adapters: DynamoDB sessions, imports and platform; S3 reports and presigned POST."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import boto3
from botocore.config import Config

from elea.composition.auth import auth_services
from elea.composition.platforms import platform_for
from elea.config.web_settings import WebSettings
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.dynamodb.sessions import DynamoDbSessionStore
from elea.dal.s3.presigned_post import S3UploadPresigner
from elea.dal.s3.staging import S3StagingStore
from elea.web.services import WebServices
from elea.web.sessions import Sessions


def _now() -> datetime:
    return datetime.now(UTC)


def web_services(settings: WebSettings) -> WebServices:
    """Built once per process (the handler caches it): adapters hold no per-request state."""
    presign_client = None
    if settings.upload_endpoint_url is not None:
        # Locally: the form must go to moto's server on loopback, path-style (no bucket subdomain).
        presign_client = boto3.client(
            "s3", endpoint_url=settings.upload_endpoint_url, config=Config(s3={"addressing_style": "path"})
        )
    return WebServices(
        sessions=Sessions(store=DynamoDbSessionStore(settings.sessions_table), idle=settings.session_idle, clock=_now),
        # The same accounts as the Auth function's: its composition root, on the web function's settings.
        auth=auth_services(settings),
        imports=DynamoDbImportStore(settings.imports_table),
        bucket=S3StagingStore(settings.import_bucket),
        presigner=S3UploadPresigner(settings.import_bucket, client=presign_client),
        platforms=lambda uai: platform_for(uai, settings),
        max_upload_bytes=settings.max_upload_bytes,
        clock=_now,
        upload_origins=_upload_origins(settings),
    )


def _upload_origins(settings: WebSettings) -> tuple[str, ...]:
    if settings.upload_endpoint_url is not None:
        parts = urlsplit(settings.upload_endpoint_url)
        return (f"{parts.scheme}://{parts.netloc}",)
    bucket = settings.import_bucket
    # boto3 signs the form for the virtual-hosted endpoint, global or regional depending on the region.
    region = boto3.session.Session().region_name  # the Lambda runtime's AWS_REGION
    return (f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com")
