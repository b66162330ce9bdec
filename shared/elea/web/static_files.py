"""GET /static/{path}: the page's own scripts and styles (static/app/, committed) and the DSFR files the build
copies from the npm registry's package (static/dsfr/, `make assets`). Nothing outside static/ is ever served."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

STATIC_ROOT = Path(__file__).parent / "static"

_CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".png": "image/png",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str
    # The DSFR's files change only with its version, ours with a deployment: an hour is a fair middle.
    cache_control: str = "public, max-age=3600"


def static_file(path: str, root: Path = STATIC_ROOT) -> StaticFile | None:
    """The file at `path` (relative to /static/), or None: unknown, hidden, of a type we do not serve, or
    outside the static directory."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or any(part in ("", ".", "..") or part.startswith(".") for part in relative.parts):
        return None
    content_type = _CONTENT_TYPES.get(relative.suffix.lower())
    if content_type is None:
        return None
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()) or not candidate.is_file():
        return None
    return StaticFile(body=candidate.read_bytes(), content_type=content_type)
