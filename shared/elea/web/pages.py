"""Server-rendered pages: the templates (shared/elea/web/templates/, owned by the pages' authors) get
the session's context and a fresh nonce; the answer carries the page's security headers."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_TEMPLATES = {
    "connexion": "connexion.html.j2",
    "accueil": "accueil.html.j2",
    "importer": "importer.html.j2",
    "import": "import.html.j2",
}


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)


def security_headers(nonce: str, upload_origins: tuple[str, ...]) -> dict[str, str]:
    """No third-party request: scripts and styles are ours (files under /static/ or by nonce); the only
    other origin is the bucket's, where the form posts the file."""
    uploads = " ".join(upload_origins)
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
            f"img-src 'self' data:; font-src 'self'; connect-src 'self' {uploads}; form-action 'self' {uploads}; "
            "frame-ancestors 'none'; base-uri 'none'"
        ).replace("  ", " "),
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }


def render_page(page: str, context: dict[str, Any], upload_origins: tuple[str, ...]) -> tuple[int, str, dict[str, str]]:
    """(status, html, headers); a page whose template is not installed is a plain French 503."""
    nonce = secrets.token_urlsafe(16)
    headers = security_headers(nonce, upload_origins)
    try:
        template = _environment().get_template(PAGE_TEMPLATES[page])
    except TemplateNotFound:
        return 503, "<!doctype html><html lang=fr><title>Éléa</title><p>Cette page n'est pas installée.</p>", headers
    return 200, template.render(nonce=nonce, **context), headers
