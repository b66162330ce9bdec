"""A school's platform URL, checked: HTTPS, except on loopback (a local Moodle or the tests' fake)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from elea.dal.moodle.errors import MoodleConfigurationError

_HINT = "Donnez l'adresse de la plateforme en https://, par exemple https://idf-77-3.elea.apps.education.fr/."


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def checked_base_url(base_url: str) -> str:
    """The URL without its trailing slash; the token must never travel in clear over a network."""
    parts = urlsplit(base_url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host or parts.query or parts.fragment:
        raise MoodleConfigurationError("L'adresse de la plateforme Éléa est invalide.", hint=_HINT)
    if parts.scheme == "http" and not is_loopback(host):
        raise MoodleConfigurationError(
            "L'adresse de la plateforme Éléa doit commencer par https:// (le jeton ne circule jamais en clair).",
            hint=_HINT,
        )
    return base_url.strip().rstrip("/")
