"""Where one import keeps its files in the bucket, and how they are written.

People travel between steps only as these staged files (≤ 1,000 people a chunk), never in the
Step Functions state. Everything here is deleted by the report or failure-report step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, TypeAdapter

from elea.errors import PlatformError
from elea.logic.users import PendingChange
from elea.models.class_spelling import ClassSpelling
from elea.models.deprovision_result import HeldPerson
from elea.models.import_record import ReportKeys
from elea.models.import_report import ImportReport
from elea.models.issue import Issue
from elea.models.outcome import PersonOutcome
from elea.models.person import Person
from elea.models.sanity_check import SanityCheck
from elea.ports.platform import Account, Cohort
from elea.ports.staging import StagingStore

_JSON = "application/json"
_JSON_LINES = "application/x-ndjson"
_ISSUES = TypeAdapter(list[Issue])
_CLASSES = TypeAdapter(list[str])
_COHORTS = TypeAdapter(list[Cohort])
_SPELLINGS = TypeAdapter(list[ClassSpelling])


def staging_prefix(uai: str, import_id: str) -> str:
    return f"staging/{uai}/{import_id}/"


def report_keys(uai: str, import_id: str) -> ReportKeys:
    base = f"reports/{uai}/{import_id}/"
    return ReportKeys(json_key=f"{base}report.json", csv_key=f"{base}report.csv")


def write_report_json(store: StagingStore, json_key: str, report: ImportReport) -> None:
    store.put(json_key, report.model_dump_json(indent=2).encode("utf-8"), _JSON)


def delete_export_and_staging(store: StagingStore, upload_keys: Iterable[str], prefix: str | None) -> None:
    """The export holds children's personal data: it and everything staged from it go, whatever the outcome."""
    store.delete(sorted(set(upload_keys)))
    if prefix:
        store.delete_prefix(prefix)


class PresentAccounts(BaseModel):
    """Who is in the file, for deprovisioning: the Ids of every row (erroneous rows included, so a
    typo does not suspend anyone) and the ENT logins (accounts made before Ids were known)."""

    model_config = ConfigDict(frozen=True)

    ids: list[str]
    logins: list[str]


class DeprovisionFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    suspended: list[PersonOutcome]
    held: list[str]
    # The sanity checks the file failed: while there is one, every suspension is held.
    checks: list[SanityCheck] = []
    # Issue 8: who the held suspensions are, for report.json's held_people (the page's list).
    held_people: list[HeldPerson] = []
    # Issue 9: what the manager should know without anything being held (the same file as last time).
    notices: list[SanityCheck] = []


class StagedImport:
    """The staged files of one import, typed."""

    def __init__(self, store: StagingStore, prefix: str) -> None:
        self._store = store
        self.prefix = prefix

    # Keys -------------------------------------------------------------------------------------
    def people_key(self, index: int) -> str:
        return f"{self.prefix}people/chunk-{index:05d}.jsonl"

    def outcomes_key(self, index: int) -> str:
        return f"{self.prefix}outcomes/chunk-{index:05d}.jsonl"

    def accounts_key(self, index: int) -> str:
        """The chunk's slice of the school's accounts, staged by the Classes step (the one read)."""
        return f"{self.prefix}accounts/chunk-{index:05d}.jsonl"

    def plan_key(self, index: int) -> str:
        """The chunk's plan, staged before any write: a retry applies it again and reports its outcomes."""
        return f"{self.prefix}plans/chunk-{index:05d}.json"

    def pending_key(self, index: int) -> str:
        """The chunk's changes whose updates and removals the platform may have left to Deprovision's release."""
        return f"{self.prefix}pending/chunk-{index:05d}.jsonl"

    @property
    def school_accounts_key(self) -> str:
        return f"{self.prefix}accounts/school.jsonl"

    @property
    def cohorts_key(self) -> str:
        """The school's cohorts as the Classes step read them, with their platform ids (a few KiB)."""
        return f"{self.prefix}cohorts.json"

    @property
    def classes_key(self) -> str:
        return f"{self.prefix}classes.json"

    @property
    def class_spellings_key(self) -> str:
        """The file's classes the Classes step kept under an existing cohort's spelling (users, report)."""
        return f"{self.prefix}class-spellings.json"

    @property
    def issues_key(self) -> str:
        return f"{self.prefix}issues.json"

    @property
    def present_key(self) -> str:
        return f"{self.prefix}present.json"

    @property
    def deprovision_key(self) -> str:
        return f"{self.prefix}deprovision.json"

    # Writing ----------------------------------------------------------------------------------
    def write_people(self, key: str, people: Sequence[Person]) -> None:
        self._store.put(key, _json_lines(people), _JSON_LINES)

    def write_outcomes(self, key: str, outcomes: Sequence[PersonOutcome]) -> None:
        self._store.put(key, _json_lines(outcomes), _JSON_LINES)

    def write_accounts(self, key: str, accounts: Sequence[Account]) -> None:
        self._store.put(key, _json_lines(accounts), _JSON_LINES)

    def write_pending(self, index: int, pending: Sequence[PendingChange]) -> None:
        """Only a chunk that leaves something to the release writes one (most re-imports change nobody)."""
        if pending:
            self._store.put(self.pending_key(index), _json_lines(pending), _JSON_LINES)

    def write_plan(self, key: str, plan: BaseModel) -> None:
        self._store.put(key, plan.model_dump_json().encode("utf-8"), _JSON)

    def write_classes(self, classes: Sequence[str]) -> None:
        self._store.put(self.classes_key, _CLASSES.dump_json(list(classes)), _JSON)

    def write_cohorts(self, cohorts: Sequence[Cohort]) -> None:
        self._store.put(self.cohorts_key, _COHORTS.dump_json(list(cohorts)), _JSON)

    def write_class_spellings(self, spellings: Sequence[ClassSpelling]) -> None:
        self._store.put(self.class_spellings_key, _SPELLINGS.dump_json(list(spellings)), _JSON)

    def write_issues(self, issues: Sequence[Issue]) -> None:
        self._store.put(self.issues_key, _ISSUES.dump_json(list(issues)), _JSON)

    def write_present(self, present: PresentAccounts) -> None:
        self._store.put(self.present_key, present.model_dump_json().encode("utf-8"), _JSON)

    def write_deprovision(self, result: DeprovisionFile) -> None:
        self._store.put(self.deprovision_key, result.model_dump_json().encode("utf-8"), _JSON)

    # Reading ----------------------------------------------------------------------------------
    def read_people(self, key: str) -> list[Person]:
        return [Person.model_validate_json(line) for line in self._required(key).splitlines() if line.strip()]

    def read_outcomes(self, key: str) -> list[PersonOutcome] | None:
        """None when the chunk was not processed yet (its outcomes are written last)."""
        body = self._store.get(key)
        if body is None:
            return None
        return [PersonOutcome.model_validate_json(line) for line in body.splitlines() if line.strip()]

    def read_accounts(self, key: str) -> list[Account] | None:
        """None when nothing was staged there (a chain older than the staged read): read the platform then."""
        body = self._store.get(key)
        if body is None:
            return None
        return [Account.model_validate_json(line) for line in body.splitlines() if line.strip()]

    def read_pending(self, index: int) -> list[PendingChange]:
        body = self._store.get(self.pending_key(index))
        if body is None:
            return []
        return [PendingChange.model_validate_json(line) for line in body.splitlines() if line.strip()]

    def read_plan(self, key: str) -> bytes | None:
        return self._store.get(key)

    def read_classes(self) -> list[str]:
        return _CLASSES.validate_json(self._required(self.classes_key))

    def read_cohorts(self) -> list[Cohort] | None:
        """None when nothing was staged (a chain older than the staged cohorts): the platform reads them then."""
        body = self._store.get(self.cohorts_key)
        return None if body is None else _COHORTS.validate_json(body)

    def read_class_spellings(self) -> list[ClassSpelling]:
        """Empty when the Classes step staged none (no class kept under another spelling, an older chain)."""
        body = self._store.get(self.class_spellings_key)
        return [] if body is None else _SPELLINGS.validate_json(body)

    def class_cohorts(self) -> dict[str, str]:
        """The file's class → the idnumber of the existing cohort it is, for the Users step."""
        return {spelling.file_class: spelling.idnumber for spelling in self.read_class_spellings()}

    def read_issues(self) -> list[Issue]:
        return _ISSUES.validate_json(self._required(self.issues_key))

    def read_present(self) -> PresentAccounts:
        return PresentAccounts.model_validate_json(self._required(self.present_key))

    def read_deprovision(self) -> DeprovisionFile | None:
        body = self._store.get(self.deprovision_key)
        return None if body is None else DeprovisionFile.model_validate_json(body)

    def _required(self, key: str) -> bytes:
        body = self._store.get(key)
        if body is None:
            # Staging is only ever deleted at the end of an import: a missing file is a broken run.
            raise PlatformError(
                "Un fichier intermédiaire de l'import est introuvable.",
                code="staging_missing",
                hint="Déposez à nouveau le fichier d'export.",
            )
        return body


def _json_lines(items: Iterable[BaseModel]) -> bytes:
    return b"".join(item.model_dump_json().encode("utf-8") + b"\n" for item in items)
