from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from elea.models.class_spelling import ClassSpelling


class CohortSync(BaseModel):
    """What the Classes step did to the UAI's cohorts (counts, and the file's classes kept under an existing
    cohort's spelling).

    `emptied` counts cohorts whose class left the file and that lost members in this run, so an
    unchanged re-import reports 0 even though the old, already empty cohort is still there.
    """

    model_config = ConfigDict(frozen=True)

    created: int = Field(ge=0)
    unchanged: int = Field(ge=0)
    emptied: int = Field(ge=0)
    spellings: list[ClassSpelling] = []
