"""An in-memory StagingStore (the import bucket) for tests of the chain's use cases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path


class InMemoryStagingStore:
    def __init__(self, objects: dict[str, bytes] | None = None) -> None:
        self.objects: dict[str, bytes] = dict(objects or {})
        self.calls: Counter[str] = Counter()
        # x-amz-meta-* of the objects that have some (the web page's uploads).
        self.object_metadata: dict[str, dict[str, str]] = {}

    def size(self, key: str) -> int | None:
        self.calls["size"] += 1
        body = self.objects.get(key)
        return None if body is None else len(body)

    def metadata(self, key: str) -> dict[str, str] | None:
        self.calls["metadata"] += 1
        if key not in self.objects:
            return None
        return dict(self.object_metadata.get(key, {}))

    def download(self, key: str, destination: Path) -> None:
        self.calls["download"] += 1
        destination.write_bytes(self.objects[key])

    def get(self, key: str) -> bytes | None:
        self.calls["get"] += 1
        return self.objects.get(key)

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.calls["put"] += 1
        self.objects[key] = body

    def delete(self, keys: Sequence[str]) -> None:
        self.calls["delete"] += 1
        for key in keys:
            self.objects.pop(key, None)

    def delete_prefix(self, prefix: str) -> int:
        self.calls["delete_prefix"] += 1
        doomed = [key for key in self.objects if key.startswith(prefix)]
        self.delete(doomed)
        return len(doomed)

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(key for key in self.objects if key.startswith(prefix))
