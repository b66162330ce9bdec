"""The content fingerprint of a dropped file: SHA-256 of its bytes, never the bytes themselves.

Kept on the import record (`content_sha256`) once the file was read, so the next imports can tell a file
the school already imported (an old export re-sent, or the same one twice) without keeping any content.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_BLOCK = 1 << 20


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read by blocks (a 20 MB export is never held whole for this)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()
