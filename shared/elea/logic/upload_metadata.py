"""The web page's upload metadata (x-amz-meta-upload-id, x-amz-meta-uai), checked by the Parse step.

Fail closed: the presigned POST's policy pins the key under imports/{session UAI}/ and the metadata to the
same UAI, but an endpoint that does not enforce policies (moto locally, a misconfigured proxy) would let a
forged key through. An object that says it came from the page must name the key's UAI, or nothing is read.
An object without any of this metadata was dropped by an operator (CLI, console) and is not concerned.
"""

from __future__ import annotations

import re

from elea.errors import RosterRefused

UPLOAD_ID_META = "upload-id"
UAI_META = "uai"
DRY_RUN_META = "dry-run"
_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


def web_upload_id(metadata: dict[str, str] | None) -> str | None:
    """The page's upload id if the object carries a well-formed one."""
    value = (metadata or {}).get(UPLOAD_ID_META)
    return value if value is not None and _UPLOAD_ID.fullmatch(value) else None


def check_upload_metadata(metadata: dict[str, str] | None, uai: str, file_name: str) -> None:
    meta = metadata or {}
    if UPLOAD_ID_META not in meta and UAI_META not in meta:
        return
    if web_upload_id(meta) is None or meta.get(UAI_META) != uai:
        raise RosterRefused(
            f"Le fichier {file_name} n'a pas été déposé pour cet établissement : il n'a pas été lu.",
            code="upload_uai_mismatch",
            file=file_name,
            hint="Connectez-vous avec le code UAI de l'établissement et déposez à nouveau le fichier.",
        )
