"""Per-académie settings: how an establishment's platform URL and functional mailbox are made."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, field_validator

from elea.domain.uai import validate_uai
from elea.establishments.establishment import Establishment

DEFAULT_PLATFORM_URL_PATTERN = "https://idf-{dept}-{basin}.elea.apps.education.fr/"
DEFAULT_MAIL_DOMAIN = "ac-creteil.fr"


class AcademySettings(BaseModel):
    """`activation_page_url` has no default: it is where this deployment's activation page is served."""

    model_config = ConfigDict(frozen=True)

    platform_url_pattern: str = DEFAULT_PLATFORM_URL_PATTERN
    mail_domain: str = DEFAULT_MAIL_DOMAIN
    activation_page_url: str

    @field_validator("platform_url_pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            sample = value.format(dept="77", basin="3")
        except (KeyError, IndexError, ValueError):
            raise ValueError("Le modèle d'URL ne peut utiliser que {dept} et {basin}.") from None
        if "{dept}" not in value or "{basin}" not in value or not sample.startswith("https://"):
            raise ValueError("Le modèle d'URL doit commencer par https:// et contenir {dept} et {basin}.")
        if not sample.endswith("/"):
            raise ValueError("Le modèle d'URL doit se terminer par « / ».")
        return value

    @field_validator("mail_domain")
    @classmethod
    def _domain(cls, value: str) -> str:
        domain = value.strip().lower()
        if not domain or "@" in domain or "." not in domain:
            raise ValueError("Le domaine de messagerie doit être de la forme ac-creteil.fr.")
        return domain

    @field_validator("activation_page_url")
    @classmethod
    def _activation(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.fragment:
            raise ValueError("L'adresse de la page d'activation doit être une URL http(s) sans fragment.")
        return value

    def import_page_url(self, import_id: str) -> str:
        """The web page of one import (issue 8): served beside /activation, by the same HTTP API."""
        parts = urlsplit(self.activation_page_url)
        return f"{parts.scheme}://{parts.netloc}/imports/{import_id}"

    def platform_url(self, establishment: Establishment) -> str:
        return basin_platform_url(self.platform_url_pattern, establishment)

    def platform_id(self, establishment: Establishment) -> str:
        return platform_id_of_url(self.platform_url(establishment))

    def mailbox(self, uai: str) -> str:
        """The school's functional mailbox, derived from the UAI only (never from a file's content)."""
        return f"{validate_uai(uai).lower()}@{self.mail_domain}"

    def activation_link(self, token: str) -> str:
        # The token rides in the fragment: browsers never send it to servers or in a Referer header.
        return f"{self.activation_page_url}#token={token}"


def basin_platform_url(pattern: str, establishment: Establishment) -> str:
    """The establishment's basin platform (its Éléa, a Moodle) from the académie's URL pattern."""
    return pattern.format(dept=establishment.department.lower(), basin=establishment.basin.lower())


def platform_id_of_url(url: str) -> str:
    """The basin platform's id, as the deployment's PlatformId names it: the first label of its host
    (https://idf-77-3.elea.apps.education.fr/ → idf-77-3)."""
    return (urlsplit(url).hostname or "").split(".", 1)[0]
