"""Checks before suspending: a wrong export (one profile, a fraction, an old file) suspends nobody."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elea.logic.deprovision import plan_and_apply
from elea.logic.sanity_checks import (
    EXPORT_ALREADY_IMPORTED,
    EXPORT_MUCH_SMALLER,
    EXPORT_OLDER,
    PROFILE_MISSING,
    SAME_AS_LATEST_IMPORT,
    checks_before_suspending,
    previous_import,
    same_file_notices,
)
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.parse_manifest import ParseManifest, ParseStatus
from elea.models.person import Profile
from elea.models.policy import ImportPolicy
from elea.models.sanity_check import SanityCheck
from elea.ports.platform import Account, AccountStatus
from tests.fakes.memory_platform import InMemoryPlatform
from tests.unit.logic.builders import UAI, account

POLICY = ImportPolicy()
STARTED = datetime(2026, 12, 1, 10, tzinfo=UTC)


def manifest(
    *, profiles: dict[str, int], people: int | None = None, content: date | None = None, fmt: str = "ent-csv"
) -> ParseManifest:
    return ParseManifest(
        status=ParseStatus.READY,
        import_id="imp-now",
        bucket="b",
        upload_key=f"imports/{UAI}/export.csv",
        file_name="export.csv",
        uai=UAI,
        staging_prefix="staging/x/",
        format=fmt,
        people_count=sum(profiles.values()) if people is None else people,
        profiles=profiles,
        content_date=content,
    )


def record(
    import_id: str,
    *,
    started: datetime,
    people: int = 100,
    content: date | None = None,
    status: ImportStatus = ImportStatus.COMPLETED,
    fmt: str = "ent-csv",
) -> ImportRecord:
    return ImportRecord(
        import_id=import_id,
        execution_id="e",
        bucket="b",
        upload_key="k",
        file_name="export.csv",
        uai=UAI,
        status=status,
        started_at=started,
        format=fmt,
        people_count=people,
        content_date=content,
    )


def platform_accounts(students: int, teachers: int) -> list[Account]:
    return [account(f"s{n}", ent_id=f"s{n}") for n in range(students)] + [
        account(f"t{n}", ent_id=f"t{n}", profile=Profile.TEACHER) for n in range(teachers)
    ]


def codes(checks: list[SanityCheck]) -> list[str]:
    return [check.code for check in checks]


def test_a_file_without_the_teachers_the_platform_has_fails_the_profile_check() -> None:
    # GIVEN a platform with 40 students and 6 teachers, and a file of students only (« Profil » not « Tous »)
    checks = checks_before_suspending(
        manifest(profiles={"student": 40}), accounts=platform_accounts(40, 6), previous=None, policy=POLICY
    )
    # THEN the teacher profile is missing, explained in French with how to re-export and override
    [check] = checks
    assert check.code == PROFILE_MISSING
    assert "enseignant" in check.message
    assert "6" in check.message
    assert "Profil « Tous »" in check.hint
    assert "elea-import approve imp-now" in check.hint


def test_a_profile_the_platform_barely_has_or_does_not_import_is_not_required() -> None:
    accounts = [
        *platform_accounts(40, 4),
        *[account(f"p{n}", ent_id=f"p{n}", profile=Profile.RELATIVE) for n in range(9)],
    ]
    assert (
        checks_before_suspending(manifest(profiles={"student": 40}), accounts=accounts, previous=None, policy=POLICY)
        == []
    )


def test_suspended_and_flagged_accounts_do_not_make_a_profile_expected() -> None:
    accounts = [
        *platform_accounts(40, 0),
        *[account(f"t{n}", ent_id=f"t{n}", profile=Profile.TEACHER, status=AccountStatus.SUSPENDED) for n in range(9)],
        *[account(f"m{n}", ent_id=f"m{n}", profile=Profile.TEACHER, protected=True) for n in range(9)],
    ]
    assert (
        checks_before_suspending(manifest(profiles={"student": 40}), accounts=accounts, previous=None, policy=POLICY)
        == []
    )


@pytest.mark.parametrize(("people", "failed"), [(49, True), (50, False), (120, False)])
def test_a_file_with_less_than_half_the_people_of_the_last_import_fails(people: int, failed: bool) -> None:
    previous = record("imp-before", started=datetime(2026, 11, 1, tzinfo=UTC), people=100)
    checks = checks_before_suspending(
        manifest(profiles={"student": people}), accounts=[], previous=previous, policy=POLICY
    )
    assert codes(checks) == ([EXPORT_MUCH_SMALLER] if failed else [])
    if failed:
        assert "100" in checks[0].message
        assert "imp-before" in checks[0].message


def test_a_last_import_of_another_format_or_a_tiny_one_is_not_compared_by_size() -> None:
    siecle = record("s", started=datetime(2026, 11, 1, tzinfo=UTC), people=500, fmt="siecle-eleves")
    tiny = record("t", started=datetime(2026, 11, 1, tzinfo=UTC), people=10)
    for previous in (siecle, tiny):
        assert (
            checks_before_suspending(manifest(profiles={"student": 4}), accounts=[], previous=previous, policy=POLICY)
            == []
        )


@pytest.mark.parametrize(
    ("before", "now", "fmt", "old"),
    [
        (date(2026, 11, 20), date(2026, 11, 10), "ent-csv", True),
        (date(2026, 11, 20), date(2026, 11, 19), "ent-csv", False),  # within the ENT's one-day tolerance
        (date(2026, 11, 20), date(2026, 11, 20), "ent-csv", False),
        (date(2026, 11, 20), date(2026, 11, 19), "siecle-eleves", True),  # an export timestamp is exact
        (date(2026, 11, 20), None, "ent-csv", False),  # no date to compare: no finding
        (date(2027, 6, 1), date(2026, 11, 30), "ent-csv", False),  # the previous date was impossible
    ],
)
def test_a_file_older_than_the_last_imported_one_fails(before: date, now: date | None, fmt: str, old: bool) -> None:
    previous = record("imp-before", started=datetime(2026, 11, 25, tzinfo=UTC), content=before, fmt=fmt)
    checks = checks_before_suspending(
        manifest(profiles={"student": 100}, content=now, fmt=fmt), accounts=[], previous=previous, policy=POLICY
    )
    assert codes(checks) == ([EXPORT_OLDER] if old else [])
    if old:
        assert "export(1).csv" in checks[0].hint


def test_the_parse_steps_own_checks_come_first() -> None:
    school = SanityCheck(code="school_name_mismatch", message="m", hint="h")
    checks = checks_before_suspending(
        manifest(profiles={"student": 40}).model_copy(update={"checks": [school]}),
        accounts=platform_accounts(40, 6),
        previous=None,
        policy=POLICY,
    )
    assert codes(checks) == ["school_name_mismatch", PROFILE_MISSING]


def test_the_previous_import_is_the_last_completed_one_before_this_one() -> None:
    current = record("now", started=STARTED, status=ImportStatus.RUNNING)
    history = [
        record("old", started=datetime(2026, 10, 1, tzinfo=UTC)),
        record("kept", started=datetime(2026, 11, 1, tzinfo=UTC)),
        record("refused", started=datetime(2026, 11, 15, tzinfo=UTC), status=ImportStatus.REFUSED),
        current,
        record("later", started=datetime(2026, 12, 2, tzinfo=UTC)),
    ]
    previous = previous_import(history, current)
    assert previous is not None
    assert previous.import_id == "kept"
    assert previous_import([current], current) is None


def test_a_held_import_is_no_reference_until_it_is_approved() -> None:
    # GIVEN a trusted import, then a much smaller one that was held for its checks
    current = record("now", started=STARTED, status=ImportStatus.RUNNING)
    held = record("held", started=datetime(2026, 11, 20, tzinfo=UTC), people=10).model_copy(
        update={"checks": [SanityCheck(code=EXPORT_MUCH_SMALLER, message="m", hint="h")]}
    )
    trusted = record("trusted", started=datetime(2026, 11, 1, tzinfo=UTC))
    # THEN the same small file dropped again is still compared with the trusted one
    previous = previous_import([trusted, held, current], current)
    assert previous is not None
    assert previous.import_id == "trusted"
    # AND once the manager approved the held one, it is the reference
    approved = held.model_copy(update={"approved_at": datetime(2026, 11, 21, tzinfo=UTC)})
    previous = previous_import([trusted, approved, current], current)
    assert previous is not None
    assert previous.import_id == "held"


@settings(max_examples=60, deadline=None)
@given(absent=st.integers(min_value=0, max_value=60), hold_all=st.booleans())
def test_a_failed_check_holds_every_suspension_and_the_safety_limit_still_applies(absent: int, hold_all: bool) -> None:
    # GIVEN a school of 100 accounts, `absent` of them missing from the file
    platform = InMemoryPlatform(accounts=platform_accounts(100, 0))
    present = {f"s{n}" for n in range(absent, 100)}
    result = plan_and_apply(platform, UAI, present, POLICY, hold_all=hold_all)
    # THEN with a failed check nobody is suspended; without, the max(20, 10 %) hold works as before
    held = absent > 0 and (hold_all or absent > 20)
    assert len(result.held) == (absent if held else 0)
    assert len(result.suspended) == (0 if held else absent)
    suspended = sum(1 for item in platform.all_accounts() if item.status is AccountStatus.SUSPENDED)
    assert suspended == len(result.suspended)


@given(
    fmt=st.sampled_from(["siecle-eleves", "sts-emp", "ent-csv"]),
    students=st.integers(0, 60),
    teachers=st.integers(0, 60),
    in_file=st.sampled_from(["student", "teacher"]),
)
@settings(max_examples=60, deadline=None)
def test_a_file_is_only_asked_for_the_profiles_its_format_can_carry(
    fmt: str, students: int, teachers: int, in_file: str
) -> None:
    # GIVEN a school with pupils (from SIECLE) and teachers (from STS), and a file holding one profile only
    checks = checks_before_suspending(
        manifest(profiles={in_file: 30}, fmt=fmt),
        accounts=platform_accounts(students, teachers),
        previous=None,
        policy=POLICY,
    )
    # THEN a profile is missing only when the file's format could have carried it: a SIECLE file is never
    # asked for teachers, an STS file never for pupils, an ENT export for every profile
    missing = {"student": students, "teacher": teachers}
    carried = {"siecle-eleves": {"student"}, "sts-emp": {"teacher"}, "ent-csv": {"student", "teacher"}}[fmt]
    expected = [
        PROFILE_MISSING
        for profile in ("student", "teacher")
        if profile != in_file and profile in carried and missing[profile] >= 5
    ]
    assert codes(checks) == expected


def fingerprinted(import_id: str, day: int, sha: str, **kwargs: object) -> ImportRecord:
    return record(import_id, started=datetime(2026, 11, day, tzinfo=UTC)).model_copy(
        update={"content_sha256": sha, **kwargs}
    )


def already_imported(history: list[ImportRecord], sha: str) -> list[str]:
    return codes(
        checks_before_suspending(
            manifest(profiles={"student": 100}),
            accounts=[],
            previous=None,
            policy=POLICY,
            history=history,
            fingerprint=sha,
        )
    )


def test_a_file_identical_to_an_import_older_than_the_latest_is_held_as_an_old_export() -> None:
    # GIVEN imports of file A (September), then B (October)
    history = [fingerprinted("imp-a", 1, "aaa"), fingerprinted("imp-b", 10, "bbb")]
    # WHEN A is dropped again THEN it fails the check, explained with export(1).csv and the override
    [check] = checks_before_suspending(
        manifest(profiles={"student": 100}),
        accounts=[],
        previous=None,
        policy=POLICY,
        history=history,
        fingerprint="aaa",
    )
    assert check.code == EXPORT_ALREADY_IMPORTED
    assert "identique, octet pour octet" in check.message
    assert "imp-a" in check.message
    assert "export(1).csv" in check.hint
    assert "elea-import approve imp-now" in check.hint
    # AND the latest file again, a new file, or no fingerprint are not old exports
    assert already_imported(history, "bbb") == []
    assert already_imported(history, "ccc") == []
    assert already_imported([], "aaa") == []


def test_refiling_the_right_file_after_a_held_wrong_one_is_a_fix_not_an_old_export() -> None:
    # GIVEN A imported, then a wrong file W held by a check (never approved), and a refused file R
    wrong = fingerprinted("imp-w", 5, "www", checks=[SanityCheck(code="profile_missing", message="m", hint="h")])
    refused = fingerprinted("imp-r", 6, "rrr", status=ImportStatus.REFUSED)
    # WHEN A is dropped again THEN it is the latest trusted file: not held
    assert already_imported([fingerprinted("imp-a", 1, "aaa"), wrong, refused], "aaa") == []
    # AND once W is approved, A again is an old export
    approved = wrong.model_copy(update={"approved_at": datetime(2026, 11, 5, 12, tzinfo=UTC)})
    assert already_imported([fingerprinted("imp-a", 1, "aaa"), approved], "aaa") == [EXPORT_ALREADY_IMPORTED]


@given(
    shas=st.lists(st.sampled_from(["s1", "s2", "s3"]), min_size=0, max_size=6),
    dropped=st.sampled_from(["s1", "s2", "s3", "s4"]),
)
def test_held_exactly_when_identical_to_an_earlier_import_but_not_the_latest(shas: list[str], dropped: str) -> None:
    history = [fingerprinted(f"imp-{n}", n + 1, sha) for n, sha in enumerate(shas)]
    notices = same_file_notices(manifest(profiles={"student": 1}), history, dropped)
    held = already_imported(history, dropped) == [EXPORT_ALREADY_IMPORTED]
    latest_same = bool(shas) and shas[-1] == dropped
    # A file is either the latest (a notice, nothing held), an older one (held), or new (neither)
    assert [notice.code for notice in notices] == ([SAME_AS_LATEST_IMPORT] if latest_same else [])
    assert held == (not latest_same and dropped in shas[:-1])
    if notices:
        assert "Ce fichier est identique à celui de la dernière importation" in notices[0].message


def test_files_are_compared_with_the_imports_of_their_own_format_only() -> None:
    # GIVEN a SIECLE school: STS file T, then SIECLE file S
    history = [
        fingerprinted("imp-t", 1, "ttt").model_copy(update={"format": "sts-emp"}),
        fingerprinted("imp-s", 2, "sss").model_copy(update={"format": "siecle-eleves"}),
    ]
    sts = manifest(profiles={"teacher": 6}, fmt="sts-emp")
    # WHEN T comes again THEN it is the latest STS file (a notice), never an old export
    assert (
        codes(
            checks_before_suspending(sts, accounts=[], previous=None, policy=POLICY, history=history, fingerprint="ttt")
        )
        == []
    )
    assert [notice.code for notice in same_file_notices(sts, history, "ttt")] == [SAME_AS_LATEST_IMPORT]
