"""The whole chain (state machine on moto, in-process Lambdas) writing into the fake Moodle over HTTP.

`LocalChain(moodle_url=…)` is `elea-import run --moodle URL`: PlatformTarget=moodle, the token from
ELEA_MOODLE_TOKEN. Moodle is the fake web-service server of tests/fakes/fake_moodle (a real HTTP server on
loopback that behaves as the peer's Moodle 4.5 does), inspected through its own state and call counts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from elea.models.import_record import ImportStatus
from elea_local.runner import LocalChain, LocalRunResult
from tests.e2e.conftest import UAI
from tests.fakes.fake_moodle import FakeMoodle
from tests.fixtures.chain_rosters import EntRow, ent_csv, ent_school, moved, renamed

pytestmark = pytest.mark.e2e

OTHER_UAI = "0930001W"
PARAMETERS = {"ChunkSize": "20"}


def ascii_login(row: EntRow) -> EntRow:
    """ENT logins are ASCII (entcore strips accents); the shared fixture's are not."""
    plain = unicodedata.normalize("NFKD", row.login).encode("ascii", "ignore").decode()
    return replace(row, login=plain)


def school(students: int, *, teachers: int = 0, start: int = 0) -> list[EntRow]:
    return [ascii_login(row) for row in ent_school(students, teachers=teachers, start=start)]


@pytest.fixture
def moodle(fake_moodle: FakeMoodle, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMoodle]:
    monkeypatch.setenv("ELEA_MOODLE_TOKEN", fake_moodle.token)
    yield fake_moodle


@pytest.fixture
def run(moodle: FakeMoodle, state_dir: Path, tmp_path: Path) -> Callable[..., LocalRunResult]:
    drops = iter(range(1000))

    def run_rows(rows: list[EntRow], uai: str = UAI, **parameters: str) -> LocalRunResult:
        folder = tmp_path / "drops" / str(next(drops))
        folder.mkdir(parents=True)
        path = folder / "export.csv"
        path.write_bytes(ent_csv(rows))
        chain = LocalChain(state_dir, parameter_overrides={**PARAMETERS, **parameters}, moodle_url=moodle.url)
        return chain.run_file(path, uai)

    return run_rows


def counts(result: LocalRunResult) -> dict[str, int]:
    assert result.record is not None
    assert result.record.counts is not None
    return {name: value for name, value in result.record.counts.model_dump().items() if value}


def cohort(uai: str, name: str) -> str:
    return f"{uai}${name}"


def test_first_import_then_an_unchanged_one_that_writes_nothing(
    run: Callable[..., LocalRunResult], moodle: FakeMoodle
) -> None:
    # GIVEN 50 pupils and 6 teachers (three chunks of 20)
    rows = school(50, teachers=6)
    # WHEN imported into Moodle
    first = run(rows)
    # THEN every one is a Moodle account as the mapping says, in its classes' cohorts
    assert first.status is ImportStatus.COMPLETED, first.record
    assert counts(first) == {"created": 56}
    pupil = moodle.user(rows[0].login)
    assert pupil is not None
    assert (pupil.auth, pupil.idnumber, pupil.department) == ("cas", rows[0].id, "Élève")
    assert (pupil.firstname, pupil.lastname) == (rows[0].first_name, rows[0].last_name)
    assert pupil.email.endswith(f"@{UAI.lower()}.invalid")
    teacher = rows[50]
    assert moodle.user(teacher.login) is not None
    for name in ("6A", "6B", "5A", "5B"):
        expected = {row.login for row in rows if name in row.classes}
        assert moodle.member_usernames(cohort(UAI, name)) == expected
    assert first.export_deleted
    # WHEN the same file comes again
    moodle.reset_calls()
    again = run(rows)
    # THEN everyone is unchanged and Moodle got no write call at all
    assert counts(again) == {"unchanged": 56}
    assert moodle.write_calls() == 0, moodle.calls
