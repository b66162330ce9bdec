"""A class of the file that the school already has as a cohort spelled otherwise (issue 9, item 3).

« 6a » (or « 6Ａ », or an accent apart) in today's file and the cohort « 6A » of an earlier import are one
class: the existing cohort is kept, with its name and idnumber, and the file's people become its members.
Class names are not personal data: the report shows them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ClassSpelling(BaseModel):
    model_config = ConfigDict(frozen=True)

    file_class: str  # the class as this file spells it
    cohort_name: str  # the existing cohort's name, kept
    idnumber: str  # the existing cohort's idnumber, kept
    message: str  # what the report's Classes part says, in French
