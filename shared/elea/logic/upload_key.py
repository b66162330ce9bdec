"""The dropped file's key, `imports/{UAI}/{file}`: the one place its shape is checked."""

from __future__ import annotations

from urllib.parse import unquote_plus

from elea.domain.uai import validate_uai
from elea.errors import EleaError

IMPORTS_PREFIX = "imports/"


class InvalidUploadKey(EleaError):
    code = "invalid_upload_key"


def upload_key(uai: str, file_name: str) -> str:
    return f"{IMPORTS_PREFIX}{uai}/{file_name}"


def uai_of_key(key: str) -> str:
    """The validated UAI the key names; raises InvalidUploadKey or elea.errors.InvalidUai."""
    parts = key.split("/")
    if len(parts) != 3 or f"{parts[0]}/" != IMPORTS_PREFIX or not parts[1] or parts[2] in ("", ".", ".."):
        raise InvalidUploadKey(
            "Le fichier doit être déposé sous imports/{UAI}/{nom du fichier}.",
            hint="Déposez le fichier dans le dossier portant le code UAI de l'établissement.",
        )
    return validate_uai(parts[1])


def uai_of_key_or_none(key: str) -> str | None:
    """For the steps that must still record and clean up after a key that names no valid UAI."""
    try:
        return uai_of_key(key)
    except EleaError:
        return None


def file_name_of_key(key: str) -> str:
    return key.rsplit("/", 1)[-1] or "export"


def key_candidates(key: str) -> list[str]:
    """The key as delivered, then URL-decoded: S3 event keys are URL-encoded in some deliveries
    ("export (1).csv" arrives as "export+%281%29.csv")."""
    decoded = unquote_plus(key)
    return [key] if decoded == key else [key, decoded]
