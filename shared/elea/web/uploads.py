"""POST /api/uploads: the form with which the browser sends the export straight to the bucket.

The key is made here from the session's UAI, never taken from the page: whatever file name the page
sends, the object lands under imports/{session UAI}/.
"""

from __future__ import annotations

import unicodedata
import uuid

from pydantic import BaseModel, ConfigDict

from elea.logic.upload_key import upload_key
from elea.logic.upload_metadata import DRY_RUN_META, UAI_META, UPLOAD_ID_META
from elea.ports.upload_presigner import UploadForm
from elea.web.errors import UploadRefused
from elea.web.services import UPLOAD_FORM_SECONDS, WebServices
from elea.web.session import Session

_MAX_NAME = 200


class UploadTicket(BaseModel):
    model_config = ConfigDict(frozen=True)

    upload_id: str
    key: str
    form: UploadForm


def safe_file_name(name: str) -> str:
    """The file's own name, as a single path segment S3 and the report can show (no folder, no control
    character); a browser sends "export.csv", never a path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(char for char in unicodedata.normalize("NFC", base) if unicodedata.category(char)[0] != "C")
    cleaned = cleaned.strip()
    if not cleaned or cleaned in (".", "..") or len(cleaned) > _MAX_NAME:
        raise UploadRefused(
            "Le nom du fichier n'est pas utilisable.",
            hint="Choisissez le fichier exporté depuis l'ENT (export.csv) ou depuis SIECLE, sans le renommer.",
        )
    return cleaned


def request_upload(session: Session, file_name: str, size: int, dry_run: bool, services: WebServices) -> UploadTicket:
    name = safe_file_name(file_name)
    limit = services.max_upload_bytes
    if size < 1:
        raise UploadRefused(
            f"Le fichier {name} est vide.",
            hint="Exportez à nouveau le fichier depuis l'ENT ou SIECLE, puis déposez-le.",
        )
    if size > limit:
        raise UploadRefused(
            f"Le fichier {name} est trop volumineux ({size // 1_000_000} Mo ; au plus {limit // 1_000_000} Mo).",
            hint="Vérifiez que c'est bien l'export de l'établissement (export.csv de l'ENT, ou SIECLE).",
        )
    upload_id = uuid.uuid4().hex
    key = upload_key(session.uai, name)
    form = services.presigner.presign(
        key=key,
        max_bytes=limit,
        metadata={UPLOAD_ID_META: upload_id, UAI_META: session.uai, DRY_RUN_META: "true" if dry_run else "false"},
        expires_seconds=UPLOAD_FORM_SECONDS,
    )
    return UploadTicket(upload_id=upload_id, key=key, form=form)
