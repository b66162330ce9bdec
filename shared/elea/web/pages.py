"""The pages of the manager's web page, rendered from templates/ with their security headers.

Every page is the same shell: the text is in the template, the data comes from the JSON API through
/static/app/{page}.js. No inline script or style anywhere, so the Content-Security-Policy allows only our own
origin (and the presigned POST's, for the upload)."""

from __future__ import annotations

from functools import cache
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined

Page = Literal["connexion", "accueil", "importer", "import"]


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("elea.web", "templates"), autoescape=True, undefined=StrictUndefined)


def content_security_policy(upload_origin: str | None = None) -> str:
    """Only our own files run and load; the DSFR's icons are our files or data: URIs in its stylesheet.
    `upload_origin` is where the browser posts the file (the bucket's presigned POST URL's origin)."""
    connect = "'self'" + (f" {upload_origin}" if upload_origin else "")
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        f"connect-src {connect}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )


def security_headers(upload_origin: str | None = None) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(upload_origin),
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        "Content-Type": "text/html; charset=utf-8",
    }


def render_page(
    page: Page,
    *,
    csrf_token: str | None = None,
    import_id: str | None = None,
    upload_origin: str | None = None,
) -> tuple[str, dict[str, str]]:
    """The HTML and its headers. `csrf_token` is the session's (None on the login page: signed out);
    `import_id` opens the wizard on one import's progress or report (GET /imports/{import_id})."""
    template = _environment().get_template(f"{page}.html.j2")
    context = {"csrf_token": csrf_token or "", "uai": "", "establishment_name": "", "platform_url": "", "nonce": ""}
    if import_id is not None:
        context["import_id"] = import_id
    return template.render(**context), security_headers(upload_origin)
