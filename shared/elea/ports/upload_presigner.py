"""Signs the browser's direct upload to the import bucket (an S3 presigned POST in AWS)."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict


class UploadForm(BaseModel):
    """What the page posts: `fields` then the file, to `url`."""

    model_config = ConfigDict(frozen=True)

    url: str
    fields: dict[str, str]


class UploadPresigner(Protocol):
    def presign(self, *, key: str, max_bytes: int, metadata: dict[str, str], expires_seconds: int) -> UploadForm:
        """A form allowed to write exactly `key`, 1..max_bytes long, with exactly this metadata."""
        ...
