"""The EventBridge "Object Created" event S3 sends when an export is dropped, and the import id it implies."""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field


class S3Bucket(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str


class S3Object(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    key: str
    size: int | None = None
    etag: str | None = None
    version_id: str | None = Field(default=None, alias="version-id")
    sequencer: str | None = None


class ObjectCreatedDetail(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    bucket: S3Bucket
    object: S3Object


class ObjectCreated(BaseModel):
    """Only the fields we rely on; EventBridge adds more (id, time, resources…), which are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    detail_type: str = Field(alias="detail-type")
    source: str
    detail: ObjectCreatedDetail

    @property
    def bucket(self) -> str:
        return self.detail.bucket.name

    @property
    def key(self) -> str:
        return self.detail.object.key

    def import_id(self) -> str:
        """Same object, same id: EventBridge delivers at least once, and each delivery must find the
        earlier claim. The sequencer (or version id) differs for every PUT, so re-dropping the same
        file is a new import, as the manager expects."""
        obj = self.detail.object
        parts = (self.bucket, obj.key, obj.version_id or "", obj.sequencer or "", obj.etag or "")
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]
