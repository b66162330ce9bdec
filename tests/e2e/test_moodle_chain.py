"""The whole chain (state machine on moto, in-process Lambdas) writing into the fake Moodle over HTTP.

`OperatorChain(moodle_url=…)` is `elea-import run --moodle URL`: PlatformTarget=moodle, the token from
ELEA_MOODLE_TOKEN. Moodle is the fake web-service server of tests/fakes/fake_moodle (a real HTTP server on
loopback that behaves as the peer's Moodle 4.5 does), inspected through its own state and call counts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from elea.models.import_record import ImportStatus
from elea_local.runner import LocalRunResult
from tests.e2e.conftest import UAI, OperatorChain
from tests.fakes.fake_moodle import FakeMoodle
from tests.fakes.fake_moodle.state import INTEGRATION_CAPABILITIES
from tests.fixtures.chain_rosters import EntRow, ent_csv, ent_school, moved, renamed, siecle_zip

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
def moodle(fake_moodle: FakeMoodle, monkeypatch: pytest.MonkeyPatch) -> FakeMoodle:
    monkeypatch.setenv("ELEA_MOODLE_TOKEN", fake_moodle.token)
    return fake_moodle


@pytest.fixture
def run(moodle: FakeMoodle, state_dir: Path, tmp_path: Path) -> Callable[..., LocalRunResult]:
    drops = iter(range(1000))

    def run_rows(rows: list[EntRow], uai: str = UAI, **parameters: str) -> LocalRunResult:
        folder = tmp_path / "drops" / str(next(drops))
        folder.mkdir(parents=True)
        path = folder / "export.csv"
        path.write_bytes(ent_csv(rows))
        chain = OperatorChain(state_dir, parameter_overrides={**PARAMETERS, **parameters}, moodle_url=moodle.url)
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
    # (the profile in institution, which this Moodle, unlike department, keeps at creation: no second write)
    assert (pupil.auth, pupil.idnumber, pupil.institution, pupil.country) == ("cas", rows[0].id, "Élève", "FR")
    assert (pupil.firstname, pupil.lastname) == (rows[0].first_name, rows[0].last_name)
    assert moodle.calls.get("core_user_update_users", 0) == 0, moodle.calls
    # AND the school's cohorts were searched once, its new classes created with what that search found
    assert moodle.calls["core_cohort_search_cohorts"] == 1, moodle.calls
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


def test_a_changed_file_arrivals_leavers_suspended_class_moves_and_renames(
    run: Callable[..., LocalRunResult], moodle: FakeMoodle
) -> None:
    # GIVEN 40 pupils imported
    rows = school(40)
    run(rows)
    # WHEN the next file has 3 arrivals, 2 leavers, 1 class move and 1 new last name
    mover, renamed_row = rows[0], rows[1]
    leavers = rows[38:]
    changed = [
        moved(mover, "5B"),
        renamed(renamed_row, "NOUVEAU"),
        *rows[2:38],
        *school(3, start=100),
    ]
    moodle.reset_calls()
    result = run(changed)
    # THEN Moodle follows, and the report says exactly that
    assert counts(result) == {"created": 3, "updated": 2, "unchanged": 36, "suspended": 2}
    for row in leavers:
        user = moodle.user(row.login)
        assert user is not None
        assert user.suspended
    assert mover.login in moodle.member_usernames(cohort(UAI, "5B"))
    assert mover.login not in moodle.member_usernames(cohort(UAI, mover.classes[0]))
    user = moodle.user(renamed_row.login)
    assert user is not None
    assert user.lastname == "NOUVEAU"
    # AND only a few write calls for all that: the chunks' creations and additions (three chunks), then ONE
    # update (the new name, the suspensions) and ONE deletion (the class move, the detachments) at the end
    assert moodle.write_calls() <= 8, moodle.calls
    assert moodle.calls["core_user_update_users"] == 1, moodle.calls
    assert moodle.calls["core_cohort_delete_cohort_members"] == 1, moodle.calls
    # AND Moodle was read once: the school's cohorts searched and their members listed by the Classes step;
    # the Deprovision step knew who else lists the leavers from the roster mirror, without a call
    assert moodle.calls["core_cohort_search_cohorts"] == 1, moodle.calls
    assert moodle.calls["core_cohort_get_cohort_members"] == 1, moodle.calls


@pytest.mark.parametrize("check_every", ["4", "1"])
def test_a_change_made_by_hand_in_moodle_is_repaired_within_the_verification_turns(
    run: Callable[..., LocalRunResult], moodle: FakeMoodle, check_every: str
) -> None:
    # GIVEN 40 pupils imported, then in Moodle one renamed and one suspended by hand, and one taken out of
    # its class cohort by hand
    rows = school(40)
    run(rows, MoodleAccountCheckEvery=check_every)
    renamed_user, suspended_user = moodle.user(rows[5].login), moodle.user(rows[6].login)
    class_cohort, moved_user = moodle.state.cohort_numbered(cohort(UAI, rows[7].classes[0])), moodle.user(rows[7].login)
    assert renamed_user is not None
    assert suspended_user is not None
    assert class_cohort is not None
    assert moved_user is not None
    renamed_user.lastname, suspended_user.suspended = "À LA MAIN", True
    moodle.state.members[class_cohort.id].discard(moved_user.id)
    # WHEN the same file comes again, as many times as MoodleAccountCheckEvery says
    results, asked = [], []
    for _ in range(int(check_every)):
        moodle.reset_calls()
        results.append(run(rows, MoodleAccountCheckEvery=check_every))
        asked.append(moodle.users_asked)
    # THEN the membership is back at the next import, and the account changes within those imports
    assert moved_user.id in moodle.state.members[class_cohort.id]
    assert counts(results[0]).get("updated", 0) >= 1
    assert (renamed_user.lastname, suspended_user.suspended) == (rows[5].last_name, False)
    assert sum(counts(result).get("updated", 0) for result in results) == 3
    # AND each import read in Moodle only its turn of the accounts (about 40 / MoodleAccountCheckEvery), all of
    # them over the turns
    assert all(count <= 40 // int(check_every) + 2 for count in asked), asked


def test_mass_departures_are_held_then_approved(
    run: Callable[..., LocalRunResult], moodle: FakeMoodle, state_dir: Path
) -> None:
    # GIVEN 30 pupils, then a file with only 5 of them (25 departures > max(20, 10 %)), one moved and renamed
    rows = school(30)
    run(rows)
    second = run([renamed(moved(rows[0], "5B"), "NOUVEAU"), *rows[1:5]])
    # THEN nobody is suspended yet: the 25 are held
    assert second.record is not None
    assert len(second.record.held) == 25
    assert not any(user.suspended for user in moodle.state.users.values())
    # AND the hold holds suspensions only: the move and the new name, left by the chunk to the end, are made
    user = moodle.user(rows[0].login)
    assert user is not None
    assert user.lastname == "NOUVEAU"
    assert rows[0].login in moodle.member_usernames(cohort(UAI, "5B"))
    assert rows[0].login not in moodle.member_usernames(cohort(UAI, rows[0].classes[0]))
    # WHEN the manager approves THEN the 25 are suspended in Moodle
    approval = OperatorChain(state_dir, parameter_overrides=PARAMETERS, moodle_url=moodle.url).approve(second.import_id)
    assert approval.suspended == 25
    suspended = {row.login for row in rows if (user := moodle.user(row.login)) is not None and user.suspended}
    assert suspended == {row.login for row in rows[5:]}


def test_a_bad_person_in_a_batch_is_a_french_row_error_and_everyone_else_is_created(
    run: Callable[..., LocalRunResult], moodle: FakeMoodle
) -> None:
    # GIVEN a file whose third person has a login Moodle refuses (an accent)
    rows = school(20)
    rows[2] = replace(rows[2], login="élodie.faure")
    # WHEN imported THEN that row is an error in French, the 19 others are created
    result = run(rows)
    assert counts(result) == {"created": 19, "errors": 1}
    [report_csv] = [path for path in result.report_files if path.name == "report.csv"]
    assert "Identifiant refusé par la plateforme Éléa" in report_csv.read_text(encoding="utf-8-sig")
    assert sum(1 for row in rows if moodle.user(row.login) is not None) == 19


def test_a_chunk_crashing_after_create_users_is_retried_without_duplicate_or_second_outcome(
    run: Callable[..., LocalRunResult], moodle: FakeMoodle
) -> None:
    # GIVEN Moodle creates the chunk's accounts, then stops answering (every attempt of the next call fails)
    moodle.fail_next(4, kind="http_500", function="core_cohort_add_cohort_members")
    rows = school(20)
    # WHEN the file is imported (the Users step dies after create_users; the Map retries it)
    result = run(rows)
    # THEN the import completed, every person created once, reported "created" once
    assert result.status is ImportStatus.COMPLETED, result.record
    assert [record.function for record in result.invocations].count("UsersFunction") == 2
    assert moodle.calls["core_user_create_users"] == 1  # the retry found them: nothing created twice
    assert counts(result) == {"created": 20}
    idnumbers = [user.idnumber for user in moodle.state.users.values() if user.idnumber]
    assert sorted(idnumbers) == sorted(row.id for row in rows)
    assert moodle.member_usernames(cohort(UAI, "6A")) == {row.login for row in rows if "6A" in row.classes}


def test_moodle_down_fails_the_import_in_french_and_a_later_import_finishes_the_job(
    run: Callable[..., LocalRunResult], moodle: FakeMoodle
) -> None:
    # GIVEN Moodle is down
    rows = school(20)
    moodle.go_down()
    # WHEN a file comes THEN the import failed, saying so in French, and the export is deleted anyway
    failed = run(rows)
    assert failed.status is ImportStatus.FAILED
    assert failed.record is not None
    assert failed.record.failure is not None
    assert "n'a pas répondu" in failed.record.failure.message
    assert failed.export_deleted
    # WHEN Moodle is back and the file comes again THEN everyone is created
    moodle.come_back()
    assert counts(run(rows)) == {"created": 20}


def test_a_token_that_cannot_see_users_never_recreates_a_school(
    run: Callable[..., LocalRunResult], moodle: FakeMoodle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a school imported, then a token whose role lost the view capabilities (Moodle then answers [])
    rows = school(20)
    run(rows)
    blind = INTEGRATION_CAPABILITIES - {
        "moodle/user:viewdetails",
        "moodle/user:viewalldetails",
        "moodle/user:viewhiddendetails",
    }
    monkeypatch.setenv("ELEA_MOODLE_TOKEN", moodle.token_with(blind))
    users_before = len(moodle.state.users)
    moodle.reset_calls()
    # WHEN the same file comes THEN the import is refused and Moodle got no write at all
    result = run(rows)
    assert result.status is not ImportStatus.COMPLETED
    assert moodle.write_calls() == 0, moodle.calls
    assert len(moodle.state.users) == users_before


def test_a_teacher_shared_by_two_schools_is_one_account_suspended_only_when_neither_lists_it(
    run: Callable[..., LocalRunResult], moodle: FakeMoodle
) -> None:
    # GIVEN two collèges sharing one teacher (same ENT Id and login), each with its own pupils
    here, there = school(10, teachers=1), school(10, start=200)
    teacher = here[-1]
    there_with_teacher = [*there, moved(teacher, "3C")]
    run(here, UAI)
    # WHEN the other school imports him THEN it joins his account: one account, each school's cohorts
    result = run(there_with_teacher, OTHER_UAI)
    assert counts(result) == {"created": 10, "updated": 1}
    assert [user.username for user in moodle.state.users.values()].count(teacher.login) == 1
    assert teacher.login in moodle.member_usernames(cohort(OTHER_UAI, "3C"))
    assert teacher.login in moodle.member_usernames(cohort(UAI, teacher.classes[0]))
    # WHEN the first school no longer lists him THEN he leaves its cohorts but is not suspended
    left = run(here[:-1], UAI)
    assert counts(left) == {"unchanged": 10}
    user = moodle.user(teacher.login)
    assert user is not None
    assert not user.suspended
    assert teacher.login not in moodle.member_usernames(cohort(UAI, teacher.classes[0]))
    assert teacher.login in moodle.member_usernames(cohort(OTHER_UAI, "3C"))
    # WHEN the second school lets him go too THEN he is suspended
    gone = run(there, OTHER_UAI)
    assert counts(gone) == {"unchanged": 10, "suspended": 1}
    user = moodle.user(teacher.login)
    assert user is not None
    assert user.suspended


def test_siecle_pupils_get_manual_accounts_with_their_initial_password_and_a_forced_change(
    moodle: FakeMoodle, state_dir: Path, tmp_path: Path
) -> None:
    # GIVEN a SIECLE export (no ENT logins)
    path = tmp_path / "siecle" / "ElevesSansAdresses.zip"
    path.parent.mkdir()
    path.write_bytes(siecle_zip(UAI, 12))
    # WHEN imported into Moodle
    result = OperatorChain(state_dir, parameter_overrides=PARAMETERS, moodle_url=moodle.url).run_file(path, UAI)
    # THEN each pupil is a manual account whose password is the one on the login sheets, to change at first login
    assert counts(result) == {"created": 12}
    pupils = [user for user in moodle.state.users.values() if user.idnumber.startswith("siecle:")]
    assert len(pupils) == 12
    assert {user.auth for user in pupils} == {"manual"}
    assert all(user.preferences.get("auth_forcepasswordchange") == "1" for user in pupils)
    sheets = [p for p in result.report_files if p.suffix == ".csv" and "report" not in p.name]
    assert sheets, result.report_files
    sheet = sheets[0].read_text(encoding="utf-8-sig")
    assert all(user.username in sheet and user.password in sheet for user in pupils)
