from __future__ import annotations

from collections.abc import Sequence

import pytest

from elea.errors import PlatformError
from elea.logic.cohorts import cohort_idnumber
from elea.logic.usernames import fallback_username, propose_usernames
from elea.logic.users import MESSAGE_NEW_LOGIN_TAKEN, apply_upsert, plan_upsert, upsert_people
from elea.models.outcome import Outcome, PersonOutcome
from elea.models.person import Person, Profile
from elea.models.policy import ImportPolicy
from elea.ports.platform import Account, AccountChange, AccountOrigin, AccountRejection, AccountStatus, Cohort
from tests.fakes.memory_platform import InMemoryPlatform
from tests.unit.logic.builders import OTHER_UAI, UAI, account, person, students

POLICY = ImportPolicy()


def outcomes_of(results: Sequence[PersonOutcome]) -> list[Outcome]:
    return [result.outcome for result in results]


def imported(people: Sequence[Person]) -> InMemoryPlatform:
    platform = InMemoryPlatform()
    upsert_people(platform, UAI, people, POLICY)
    platform.reset_counts()
    return platform


def test_first_import_creates_everyone_in_one_write() -> None:
    # GIVEN an empty platform and three people of two classes
    platform = InMemoryPlatform()
    people = [person("1", classes=("3A",)), person("2", classes=("3A", "3B")), person("3", login="Login.Trois")]
    # WHEN the chunk is imported
    results = upsert_people(platform, UAI, people, POLICY)
    # THEN each is created, with one read, one username check and one write
    assert outcomes_of(results) == [Outcome.CREATED] * 3
    assert platform.calls == {"accounts": 1, "find_accounts": 1, "write_accounts": 1}
    created = platform.account_of(UAI, "2")
    assert created.cohorts == {cohort_idnumber(UAI, "3A"), cohort_idnumber(UAI, "3B")}
    assert (created.origin, created.status, created.username) == (AccountOrigin.ENT, AccountStatus.ACTIVE, "login.2")
    # AND logins become lowercase usernames (Moodle's rule)
    assert platform.account_of(UAI, "3").username == "login.trois"


def test_outcomes_name_the_person_for_the_report_but_never_the_login() -> None:
    # GIVEN people with lines WHEN imported THEN outcomes follow the input order and carry, for the report
    # (issue 8, item 7), the person's name and class beside the Id, but never the login
    results = upsert_people(InMemoryPlatform(), UAI, [person("9", line=12, last_name="Zorglub")], POLICY)
    assert results == [
        PersonOutcome(
            line=12,
            id="9",
            profile=Profile.STUDENT,
            outcome=Outcome.CREATED,
            last_name="Zorglub",
            first_name="Léa",
            class_name="3A",
        )
    ]
    assert "login" not in results[0].model_dump_json()


def test_unchanged_reimport_writes_nothing() -> None:
    # GIVEN an imported file
    people = students(50)
    platform = imported(people)
    # WHEN the same people are imported again
    results = upsert_people(platform, UAI, people, POLICY)
    # THEN all are unchanged, after a single read and no username check or write
    assert outcomes_of(results) == [Outcome.UNCHANGED] * 50
    assert platform.calls == {"accounts": 1}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"last_name": "Bernard"}, "last_name"),
        ({"first_name": "Zoé"}, "first_name"),
        ({"login": "nouveau.login"}, "login"),
        ({"profile": Profile.PERSONNEL}, "profile"),
        ({"classes": ("3B",)}, "cohorts"),
    ],
)
def test_each_change_is_named(change: dict[str, object], field: str) -> None:
    # GIVEN an imported person
    before = person("1")
    platform = imported([before])
    # WHEN one field changes in the file
    results = upsert_people(platform, UAI, [before.model_copy(update=change)], POLICY)
    # THEN the person is updated with exactly that field, in one write
    assert results[0].outcome is Outcome.UPDATED
    assert results[0].changed_fields == (field,)
    assert platform.calls["write_accounts"] == 1


def test_login_change_keeps_the_account() -> None:
    # GIVEN an imported person WHEN their login changes THEN the same account is renamed and the old name freed
    platform = imported([person("1")])
    account_id = platform.account_of(UAI, "1").account_id
    upsert_people(platform, UAI, [person("1", login="nouveau.login")], POLICY)
    renamed = platform.account_of(UAI, "1")
    assert (renamed.account_id, renamed.username) == (account_id, "nouveau.login")
    assert [a.username for a in platform.find_accounts(["login.1", "nouveau.login"])] == ["nouveau.login"]


def test_login_change_to_a_taken_login_keeps_the_old_one() -> None:
    # GIVEN an imported person and another school's account holding the login they now have
    platform = InMemoryPlatform(accounts=[account("pris.ailleurs", ent_id="X", uai=OTHER_UAI)])
    upsert_people(platform, UAI, [person("1")], POLICY)
    # WHEN the new login and a class change arrive
    results = upsert_people(platform, UAI, [person("1", login="pris.ailleurs", classes=("3B",))], POLICY)
    # THEN the class change is applied, the old username kept, and the row says why
    assert (results[0].outcome, results[0].changed_fields) == (Outcome.UPDATED, ("cohorts",))
    assert results[0].message == MESSAGE_NEW_LOGIN_TAKEN
    assert platform.account_of(UAI, "1").username == "login.1"


def test_class_change_moves_memberships_and_keeps_foreign_cohorts() -> None:
    # GIVEN an account in 3A, in another school's cohort and in a hand-made cohort
    other_school, hand_made = cohort_idnumber(OTHER_UAI, "2B"), "club-echecs"
    platform = InMemoryPlatform(
        accounts=[account("login.1", ent_id="1", classes=("3A",), extra_cohorts=(other_school, hand_made))]
    )
    # WHEN the file puts the person in 3B and 3C
    results = upsert_people(platform, UAI, [person("1", classes=("3B", "3C"))], POLICY)
    # THEN they left 3A, joined 3B and 3C, and kept the other cohorts
    assert results[0].changed_fields == ("cohorts",)
    assert platform.account_of(UAI, "1").cohorts == {
        cohort_idnumber(UAI, "3B"),
        cohort_idnumber(UAI, "3C"),
        other_school,
        hand_made,
    }


def test_suspended_account_that_comes_back_is_reactivated() -> None:
    # GIVEN a suspended account WHEN its person is back in the file THEN it is reactivated
    platform = InMemoryPlatform(accounts=[account("login.1", ent_id="1", status=AccountStatus.SUSPENDED)])
    results = upsert_people(platform, UAI, [person("1")], POLICY)
    assert (results[0].outcome, results[0].changed_fields) == (Outcome.UPDATED, ("status",))
    assert platform.account_of(UAI, "1").status is AccountStatus.ACTIVE


@pytest.mark.parametrize(
    "flagged",
    [
        account("login.1", ent_id="1", origin=AccountOrigin.LOCAL_MANAGER, last_name="Ancien"),
        account("login.1", ent_id="1", protected=True, last_name="Ancien"),
        account("login.1", ent_id="1", origin=AccountOrigin.MANUAL, last_name="Ancien"),
        account("login.1", origin=AccountOrigin.MANUAL, last_name="Ancien"),  # matched by login
    ],
    ids=["local-manager", "protected", "manual", "manual-by-login"],
)
def test_flagged_accounts_are_protected(flagged: Account) -> None:
    # GIVEN a flagged account whose data differs from the file
    platform = InMemoryPlatform(accounts=[flagged])
    # WHEN the file names it
    results = upsert_people(platform, UAI, [person("1", classes=("3B",))], POLICY)
    # THEN it is protected and untouched
    assert outcomes_of(results) == [Outcome.PROTECTED]
    assert platform.writes == 0
    assert platform.all_accounts()[0].last_name == "Ancien"


def test_profiles_not_imported_are_skipped() -> None:
    # GIVEN a parent and a guest, not imported by default
    people = [person("P", profile=Profile.RELATIVE), person("G", profile=Profile.GUEST), person("1")]
    platform = InMemoryPlatform()
    # WHEN imported THEN they are skipped and only the student has an account
    assert outcomes_of(upsert_people(platform, UAI, people, POLICY)) == [
        Outcome.SKIPPED,
        Outcome.SKIPPED,
        Outcome.CREATED,
    ]
    assert [item.ent_id for item in platform.all_accounts()] == ["1"]
    # AND a platform that imports parents creates theirs
    with_parents = ImportPolicy(imported_profiles=frozenset({Profile.STUDENT, Profile.RELATIVE}))
    assert outcomes_of(upsert_people(InMemoryPlatform(), UAI, people[:1], with_parents)) == [Outcome.CREATED]


def test_account_made_before_ids_is_matched_by_login_and_linked() -> None:
    # GIVEN an account without ENT Id whose username is the person's login
    platform = InMemoryPlatform(accounts=[account("login.1", ent_id=None)])
    # WHEN the person is imported
    results = upsert_people(platform, UAI, [person("1")], POLICY)
    # THEN the account gets the Id (no second account), and the next import is unchanged
    assert (results[0].outcome, results[0].changed_fields) == (Outcome.UPDATED, ("ent_id",))
    assert len(platform.all_accounts()) == 1
    assert platform.account_of(UAI, "1").username == "login.1"
    assert outcomes_of(upsert_people(platform, UAI, [person("1")], POLICY)) == [Outcome.UNCHANGED]


def test_login_differing_only_in_case_is_no_change() -> None:
    # GIVEN an account whose username has capitals
    platform = InMemoryPlatform(accounts=[account("Login.1", ent_id="1")])
    # WHEN the file has the same login in lowercase THEN nothing changes
    assert outcomes_of(upsert_people(platform, UAI, [person("1")], POLICY)) == [Outcome.UNCHANGED]
    assert platform.writes == 0


def test_login_held_by_another_person_is_an_error_not_a_takeover() -> None:
    # GIVEN an account of this school with the same login but another ENT Id, and one of another school
    platform = InMemoryPlatform(
        accounts=[account("login.1", ent_id="someone-else"), account("login.2", ent_id="other-2", uai=OTHER_UAI)]
    )
    # WHEN two newcomers with those logins are imported
    results = upsert_people(platform, UAI, [person("1"), person("2")], POLICY)
    # THEN neither account is touched and both rows are errors with a French message
    assert outcomes_of(results) == [Outcome.ERROR, Outcome.ERROR]
    assert "Identifiant déjà utilisé" in results[0].message
    assert platform.writes == 0


def test_siecle_people_get_their_proposed_username_or_a_fallback() -> None:
    # GIVEN another school already has lea.martin
    platform = InMemoryPlatform(accounts=[account("lea.martin", ent_id="X", uai=OTHER_UAI)])
    people = propose_usernames([person("S1", login=None), person("S2", login=None, first_name="Tom")])
    # WHEN the SIECLE people are imported
    results = upsert_people(platform, UAI, people, POLICY)
    # THEN Léa gets the hash-suffixed fallback, Tom his plain username, both local SIECLE accounts
    assert outcomes_of(results) == [Outcome.CREATED, Outcome.CREATED]
    assert platform.account_of(UAI, "S1").username == fallback_username("lea.martin", "S1")
    assert platform.account_of(UAI, "S2").username == "tom.martin"
    assert platform.account_of(UAI, "S2").origin is AccountOrigin.SIECLE
    assert platform.calls["find_accounts"] == 1


def test_siecle_homonyms_in_two_chunks_never_collide() -> None:
    # GIVEN homonyms proposed over the whole file, then imported in two chunks
    platform = InMemoryPlatform()
    people = propose_usernames([person(f"S{index}", login=None) for index in range(4)])
    upsert_people(platform, UAI, people[:2], POLICY)
    upsert_people(platform, UAI, people[2:], POLICY)
    # THEN four distinct usernames, the first being the plain one
    usernames = sorted(item.username for item in platform.all_accounts())
    assert len(set(usernames)) == 4
    assert "lea.martin" in usernames


def test_siecle_account_keeps_its_username_when_the_proposal_moves() -> None:
    # GIVEN a SIECLE person imported alone, who got the plain username
    platform = InMemoryPlatform()
    upsert_people(platform, UAI, propose_usernames([person("S5", login=None)]), POLICY)
    # WHEN a homonym with a smaller Id arrives (so the proposals swap)
    people = propose_usernames([person("S5", login=None), person("S1", login=None)])
    results = upsert_people(platform, UAI, people, POLICY)
    # THEN the existing account is unchanged and the newcomer gets its fallback
    assert outcomes_of(results) == [Outcome.UNCHANGED, Outcome.CREATED]
    assert platform.account_of(UAI, "S5").username == "lea.martin"
    assert platform.account_of(UAI, "S1").username == fallback_username("lea.martin", "S1")


def test_siecle_person_is_not_matched_to_someone_elses_account_by_username() -> None:
    # GIVEN an account of this school named lea.martin belonging to another Id
    platform = InMemoryPlatform(accounts=[account("lea.martin", ent_id="S9", origin=AccountOrigin.SIECLE)])
    # WHEN a SIECLE homonym is imported THEN a new account is created beside it
    results = upsert_people(platform, UAI, propose_usernames([person("S1", login=None)]), POLICY)
    assert outcomes_of(results) == [Outcome.CREATED]
    assert platform.account_of(UAI, "S9").username == "lea.martin"


def test_a_teacher_another_school_imported_is_the_same_account_joined_not_a_new_one() -> None:
    # GIVEN a teacher the other school imported (same ENT Id, same login)
    platform = InMemoryPlatform(
        accounts=[account("login.7", ent_id="7", uai=OTHER_UAI, classes=("6C",), profile=Profile.TEACHER)]
    )
    # WHEN this school imports the same person in its 3A
    [result] = upsert_people(platform, UAI, [person("7", classes=("3A",), profile=Profile.TEACHER)], POLICY)
    # THEN the account is joined (one account, two schools), each school's memberships its own
    assert (result.outcome, result.changed_fields) == (Outcome.UPDATED, ("cohorts", "school"))
    [shared] = platform.all_accounts()
    assert shared.cohorts == {cohort_idnumber(UAI, "3A"), cohort_idnumber(OTHER_UAI, "6C")}
    assert platform.schools_of(str(shared.account_id)) == {UAI, OTHER_UAI}
    # AND a re-import of this school changes nothing
    assert outcomes_of(
        upsert_people(platform, UAI, [person("7", classes=("3A",), profile=Profile.TEACHER)], POLICY)
    ) == [Outcome.UNCHANGED]


def test_a_platform_rejection_is_that_persons_row_error_only() -> None:
    # GIVEN a platform that refuses one person of the batch (Moodle: a bad value, isolated by bisection)
    class Refusing(InMemoryPlatform):
        def write_accounts(
            self,
            uai: str,
            changes: Sequence[AccountChange],
            *,
            looked_up: bool = False,
            known_cohorts: Sequence[Cohort] | None = None,
            finish_at_release: bool = False,
        ) -> list[AccountRejection]:
            bad = [c for c in changes if c.after.username == "login.2"]
            super().write_accounts(uai, [c for c in changes if c not in bad], looked_up=looked_up)
            return [AccountRejection(username="login.2", code="moodle_invalid_parameter", message="Refusé.")]

    platform = Refusing()
    # WHEN three people are imported THEN the refused one is an error, the others are created
    results = upsert_people(platform, UAI, [person("1"), person("2"), person("3")], POLICY)
    assert outcomes_of(results) == [Outcome.CREATED, Outcome.ERROR, Outcome.CREATED]
    assert results[1].message == "Refusé."
    assert len(platform.all_accounts()) == 2


class CrashingPlatform(InMemoryPlatform):
    """Writes only the first `keep` accounts of the next write, then fails: a Lambda dying part-way."""

    def __init__(self, keep: int) -> None:
        super().__init__()
        self.keep: int | None = keep

    def write_accounts(
        self,
        uai: str,
        changes: Sequence[AccountChange],
        *,
        looked_up: bool = False,
        known_cohorts: Sequence[Cohort] | None = None,
        finish_at_release: bool = False,
    ) -> list[AccountRejection]:
        if self.keep is None:
            return super().write_accounts(uai, changes, looked_up=looked_up)
        keep, self.keep = self.keep, None
        super().write_accounts(uai, changes[:keep])
        raise PlatformError("Coupure simulée.")


def test_a_chunk_retried_after_a_crash_reaches_the_same_end_state() -> None:
    # GIVEN a write that dies after 7 of 20 accounts
    people = students(20)
    platform = CrashingPlatform(keep=7)
    with pytest.raises(PlatformError):
        upsert_people(platform, UAI, people, POLICY)
    # WHEN the chunk is retried
    retried = upsert_people(platform, UAI, people, POLICY)
    # THEN the platform holds exactly what a clean run gives, and the retry sees its own writes as unchanged
    clean = imported(people)
    assert sorted(platform.all_accounts(), key=str) == sorted(clean.all_accounts(), key=str)
    assert outcomes_of(retried) == [Outcome.UNCHANGED] * 7 + [Outcome.CREATED] * 13


def test_plan_computed_before_the_crash_gives_the_first_attempts_outcomes() -> None:
    # GIVEN a plan made (and stored by the handler) before a crash part-way through its write
    people = students(10)
    platform = CrashingPlatform(keep=4)
    plan = plan_upsert(platform, UAI, people, POLICY)
    with pytest.raises(PlatformError):
        apply_upsert(platform, UAI, plan)
    # WHEN the retry applies a fresh plan
    apply_upsert(platform, UAI, plan_upsert(platform, UAI, people, POLICY))
    # THEN the stored outcomes still say "created" for everyone, and everyone exists
    assert outcomes_of(plan.outcomes) == [Outcome.CREATED] * 10
    assert len(platform.all_accounts()) == 10
