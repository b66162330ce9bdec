"""Collaborators of the web page's use cases (wired in elea.composition.web)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from elea.auth.services import AuthServices
from elea.ports.import_store import ImportHistory
from elea.ports.platform import Platform
from elea.ports.staging import StagingStore
from elea.ports.upload_presigner import UploadPresigner
from elea.web.sessions import Sessions

# How long the page's presigned form stays usable: long enough to pick a file, not to keep it.
UPLOAD_FORM_SECONDS = 10 * 60
HISTORY_LENGTH = 50


@dataclass(frozen=True)
class WebServices:
    sessions: Sessions
    auth: AuthServices
    imports: ImportHistory
    # The bucket as the report readers see it: report.json and report.csv under reports/{UAI}/.
    bucket: StagingStore
    presigner: UploadPresigner
    # The school's platform (from its UAI), as `approve` gets it.
    platforms: Callable[[str], Platform]
    max_upload_bytes: int
    clock: Callable[[], datetime]
    # Where the browser posts the file (the page's CSP allows it, and only it, beside 'self').
    upload_origins: tuple[str, ...] = ()
