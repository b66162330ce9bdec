"""Why an import's suspensions were held although they were under the safety limit."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SanityCheck(BaseModel):
    """A check the file failed before anything was suspended (French message, stable code, what to do).

    While any check fails, every suspension of the import is held for `elea-import approve IMPORT_ID`.
    """

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    hint: str
