from __future__ import annotations

import pytest

from elea.logic.deprovision import apply_held, plan_and_apply
from elea.models.outcome import Outcome
from elea.models.policy import ImportPolicy
from elea.ports.platform import Account, AccountChange, AccountOrigin, AccountStatus
from tests.fakes.memory_platform import InMemoryPlatform
from tests.unit.logic.builders import OTHER_UAI, UAI, account

POLICY = ImportPolicy()


def school(active: int, *, suspended: int = 0) -> list[Account]:
    """`active` imported accounts with Ids a0000…, plus already suspended ones."""
    return [account(f"u.a{index}", ent_id=f"a{index:04d}") for index in range(active)] + [
        account(f"u.s{index}", ent_id=f"s{index:04d}", status=AccountStatus.SUSPENDED) for index in range(suspended)
    ]


def ids(count: int, *, start: int = 0) -> set[str]:
    return {f"a{index:04d}" for index in range(start, count)}


def test_absent_accounts_are_suspended_in_one_write() -> None:
    # GIVEN a school with 10 accounts, flagged ones, another school's account and an already suspended one
    platform = InMemoryPlatform(
        accounts=[
            *school(10, suspended=1),
            account("0750654D", origin=AccountOrigin.LOCAL_MANAGER),
            account("u.manual", ent_id="m1", origin=AccountOrigin.MANUAL),
            account("u.protected", ent_id="p1", protected=True),
            account("u.other", ent_id="b0009", uai=OTHER_UAI),
        ]
    )
    # WHEN the file holds only the first 7 people
    result = plan_and_apply(platform, UAI, ids(7), POLICY)
    # THEN the 3 absent ones are suspended in one write; nothing else moved
    assert sorted(outcome.id or "" for outcome in result.suspended) == ["a0007", "a0008", "a0009"]
    assert {outcome.outcome for outcome in result.suspended} == {Outcome.SUSPENDED}
    assert result.held == []
    assert not result.is_held
    assert platform.calls["release_accounts"] == 1
    assert platform.accounts_written == 3
    statuses = {item.username: item.status for item in platform.all_accounts()}
    assert statuses["u.a9"] is AccountStatus.SUSPENDED
    assert statuses["u.other"] is AccountStatus.ACTIVE
    assert statuses["u.manual"] is statuses["u.protected"] is AccountStatus.ACTIVE
    assert len(platform.all_accounts()) == 15  # never deleted
    # AND a second run writes nothing
    platform.reset_counts()
    assert plan_and_apply(platform, UAI, ids(7), POLICY).suspended == []
    assert platform.writes == 0


def test_erroneous_rows_keep_their_accounts() -> None:
    # GIVEN an Id present in the file only through an erroneous row (Issue.person_id)
    platform = InMemoryPlatform(accounts=school(3))
    # WHEN deprovisioning with that Id among the present ones THEN that account stays active
    result = plan_and_apply(platform, UAI, {"a0000", "a0001"} | {"a0002"}, POLICY)
    assert result.suspended == []


def test_account_without_id_is_judged_by_login_only_when_logins_are_given() -> None:
    # GIVEN two accounts made before Ids were known
    platform = InMemoryPlatform(accounts=[account("old.present"), account("old.gone")])
    # WHEN no login list is given THEN none is suspended on a guess
    assert plan_and_apply(platform, UAI, set(), POLICY).suspended == []
    # WHEN the file's logins are given THEN only the absent one is suspended
    result = plan_and_apply(platform, UAI, set(), POLICY, present_logins={"Old.Present"})
    assert len(result.suspended) == 1
    gone = next(item for item in platform.all_accounts() if item.username == "old.gone")
    assert gone.status is AccountStatus.SUSPENDED
    assert result.suspended[0].id == gone.account_id  # an opaque id, not the login


@pytest.mark.parametrize(
    ("active", "absent", "held"),
    [
        (100, 20, False),  # limit max(20, 10) = 20: exactly at the limit is applied
        (100, 21, True),
        (300, 30, False),  # limit max(20, 30) = 30
        (300, 31, True),
    ],
)
def test_safety_hold_boundary(active: int, absent: int, held: bool) -> None:
    # GIVEN a school with `active` accounts (and 500 long-suspended ones, which do not raise the limit)
    platform = InMemoryPlatform(accounts=school(active, suspended=500))
    platform.reset_counts()
    # WHEN `absent` of them are missing from the file
    result = plan_and_apply(platform, UAI, ids(active - absent), POLICY)
    # THEN above the limit all are held and nothing is written; at or below it all are suspended
    assert result.limit == max(20, active // 10)
    assert result.is_held is held
    assert len(result.held if held else result.suspended) == absent
    assert (platform.writes == 0) is held


def test_held_suspensions_are_applied_on_approval_once() -> None:
    # GIVEN a held deprovisioning of 25 accounts
    platform = InMemoryPlatform(accounts=school(100))
    held = plan_and_apply(platform, UAI, ids(100, start=25), POLICY).held
    assert len(held) == 25
    assert "a0000" not in held
    # WHEN approved
    suspended = apply_held(platform, UAI, held)
    # THEN all 25 are suspended in one write, and a second approval writes nothing
    assert len(suspended) == 25
    assert sum(item.status is AccountStatus.SUSPENDED for item in platform.all_accounts()) == 25
    platform.reset_counts()
    assert apply_held(platform, UAI, held) == []
    assert platform.writes == 0


def test_approval_leaves_accounts_flagged_in_the_meantime() -> None:
    # GIVEN a held account that a manager then marked protected
    platform = InMemoryPlatform(accounts=school(30))
    held = plan_and_apply(platform, UAI, set(), POLICY).held
    protected = platform.account_of(UAI, "a0000").model_copy(update={"protected": True})
    platform.write_accounts(UAI, [AccountChange(before=platform.account_of(UAI, "a0000"), after=protected)])
    # WHEN approved THEN the protected one stays active
    assert len(apply_held(platform, UAI, held)) == 29
    assert platform.account_of(UAI, "a0000").status is AccountStatus.ACTIVE


def test_the_hold_limit_is_the_exact_percentage_of_the_school_whatever_the_ratio() -> None:
    # GIVEN every whole percentage as HOLD_RATIO and schools of 0 to 400 accounts, with no floor
    for percent in range(101):
        policy = ImportPolicy(hold_min_accounts=0, hold_ratio=percent / 100)
        for accounts in range(401):
            # THEN the limit is percent × accounts / 100, rounded down, never one short through float error
            assert policy.suspension_limit(accounts) == percent * accounts // 100, (percent, accounts)
    # AND the default is max(20, 10 %)
    assert [ImportPolicy().suspension_limit(n) for n in (0, 200, 201, 209, 210, 1000)] == [20, 20, 20, 20, 21, 100]


def test_suspended_and_held_accounts_name_the_person_for_the_report() -> None:
    # GIVEN a school of 3 (one leaving) and another of 40 whose file lost 30 people (held)
    platform = InMemoryPlatform(accounts=school(3))
    [suspended] = plan_and_apply(platform, UAI, ids(2), POLICY).suspended
    # THEN the suspended row names who it is, and their class in this school (issue 8, item 7)
    assert (suspended.id, suspended.last_name, suspended.first_name, suspended.class_name) == (
        "a0002",
        "Martin",
        "Léa",
        "3A",
    )
    held = plan_and_apply(InMemoryPlatform(accounts=school(40)), UAI, ids(10), POLICY)
    assert len(held.held) == len(held.held_people) == 30
    assert {(person.last_name, person.class_name) for person in held.held_people} == {("Martin", "3A")}
    assert {person.id for person in held.held_people} == ids(40, start=10)
