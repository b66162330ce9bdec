"""`elea-import establishment load FILE.csv`: registering a whole list, idempotently."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from elea.errors import EleaError, PlatformError
from elea.establishments.csv_file import read_establishments_csv
from elea.establishments.register import RegistrationOutcome, register_establishment
from elea.establishments.services import RegistryServices
from elea.models.issue import Issue, Severity


@dataclass
class BulkLoad:
    file_name: str
    outcomes: Counter[RegistrationOutcome] = field(default_factory=Counter)
    activations_sent: int = 0
    issues: list[Issue] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for issue in self.issues if issue.severity is Severity.ERROR)


def load_establishments(data: bytes, *, file_name: str, services: RegistryServices) -> BulkLoad:
    """Registers every valid line; a bad line is reported with its number and does not stop the others.

    Running the same file again registers nothing new and sends no e-mail, except the activations that
    could not be sent the first time.
    """
    parsed = read_establishments_csv(data, file_name=file_name)
    result = BulkLoad(file_name=file_name, issues=list(parsed.issues))
    for row in parsed.rows:
        try:
            registration = register_establishment(row.establishment, services)
        except PlatformError:
            raise  # storage is down: every following line would fail the same way
        except EleaError as error:
            result.issues.append(Issue(line=row.line, severity=Severity.ERROR, code=error.code, message=error.message))
            continue
        result.outcomes[registration.outcome] += 1
        result.activations_sent += int(registration.activation_sent)
    result.issues.sort(key=lambda issue: issue.line or 0)
    return result
