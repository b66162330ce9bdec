"""An in-memory StagingStore (the import bucket) for tests of the chain's use cases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path


class InMemoryStagingStore:
    def __init__(self, objects: dict[str, bytes] | None = None) -> None:
        self.objects: dict[str, bytes] = dict(objects or {})
        self.calls: Counter[str] = Counter()
        self.user_metadata: dict[str, dict[str, str]] = {}
        # Keys rewritten by copy_in_place, in order: each would be a new "Object Created" event.
        self.copied: list[str] = []

    def size(self, key: str) -> int | None:
        self.calls["size"] += 1
        body = self.objects.get(key)
        return None if body is None else len(body)

    def metadata(self, key: str) -> dict[str, str] | None:
        self.calls["metadata"] += 1
        return None if key not in self.objects else dict(self.user_metadata.get(key, {}))

    def copy_in_place(self, key: str, metadata: dict[str, str]) -> None:
        self.calls["copy_in_place"] += 1
        if key not in self.objects:
            raise KeyError(key)
        self.user_metadata[key] = dict(metadata)
        self.copied.append(key)

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
            self.user_metadata.pop(key, None)

    def delete_prefix(self, prefix: str) -> int:
        self.calls["delete_prefix"] += 1
        doomed = [key for key in self.objects if key.startswith(prefix)]
        self.delete(doomed)
        return len(doomed)

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(key for key in self.objects if key.startswith(prefix))
