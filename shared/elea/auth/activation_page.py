"""GET /activation: the page the e-mail's link opens; it posts the token (from the fragment) and the password."""

from __future__ import annotations

import secrets
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from elea.credentials.password_policy import MIN_LENGTH


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("elea.auth", "templates"), autoescape=True, undefined=StrictUndefined)


def activation_page() -> tuple[str, dict[str, str]]:
    """The HTML and its security headers: only our own inline script (by nonce) runs, nothing is cached,
    and no Referer leaves the page."""
    nonce = secrets.token_urlsafe(16)
    html = _environment().get_template("activation_page.html.j2").render(nonce=nonce, min_length=MIN_LENGTH)
    headers = {
        "Content-Security-Policy": (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }
    return html, headers
