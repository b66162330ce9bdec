"""The import bucket as the steps see it: the dropped file, the staging area and the reports.

S3 in AWS (elea.dal.s3.staging); an in-memory fake in tests. Adapters raise elea.errors.PlatformError.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class StagingStore(Protocol):
    def size(self, key: str) -> int | None:
        """The object's size in bytes, or None when there is no such object."""
        ...

    def download(self, key: str, destination: Path) -> None: ...

    def get(self, key: str) -> bytes | None:
        """The object's bytes, or None when there is no such object."""
        ...

    def put(self, key: str, body: bytes, content_type: str) -> None: ...

    def metadata(self, key: str) -> dict[str, str] | None:
        """The object's user metadata (x-amz-meta-*, lower-case names without the prefix), or None."""
        ...

    def copy_in_place(self, key: str, metadata: dict[str, str]) -> None:
        """Rewrites the object onto itself with this user metadata: a new "Object Created" event."""
        ...

    def delete(self, keys: Sequence[str]) -> None:
        """Deletes these objects; a missing one is not an error (retries delete twice)."""
        ...

    def delete_prefix(self, prefix: str) -> int:
        """Deletes every object under the prefix and returns how many there were."""
        ...
