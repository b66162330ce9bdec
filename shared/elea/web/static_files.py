"""GET /static/{path}: the page's own CSS, JS, fonts and icons, from the folder the build fills
(shared/elea/web/static/). Nothing outside that folder can be named."""

from __future__ import annotations

import mimetypes
from pathlib import Path

STATIC_ROOT = Path(__file__).resolve().parent / "static"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


def static_file(relative: str, root: Path = STATIC_ROOT) -> tuple[bytes, str] | None:
    """(bytes, content type), or None for anything missing or outside the folder."""
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    base = root.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    kind = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return path.read_bytes(), kind
