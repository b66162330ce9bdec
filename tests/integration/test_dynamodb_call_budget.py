"""DynamoDB call budget of the whole chain (classes, users by chunk, deprovisioning), counted on moto.

Targets (issue 3): at most 100 calls per 1,000 people on a first import, at most 20 on an unchanged
re-import. Counted with botocore's `before-call` hook: call COUNTS, never time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pytest
from moto import mock_aws

from elea.logic.cohorts import sync_cohorts
from elea.logic.deprovision import plan_and_apply
from elea.logic.usernames import propose_usernames
from elea.logic.users import upsert_people
from elea.models.outcome import Outcome
from elea.models.person import Person
from elea.models.policy import ImportPolicy
from tests.integration.moto_platform import moto_client, moto_platform
from tests.unit.logic.builders import UAI, person

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

CHUNK = 1000
POLICY = ImportPolicy()


@pytest.fixture
def dynamodb() -> Iterator[DynamoDBClient]:
    with mock_aws():
        yield moto_client()


class CallCounter:
    def __init__(self, client: DynamoDBClient) -> None:
        self.calls: Counter[str] = Counter()
        client.meta.events.register("before-call.dynamodb", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    def total(self) -> int:
        return sum(self.calls.values())


def roster(count: int, *, siecle: bool = False) -> list[Person]:
    """`count` people in classes of 25, as the parse step hands them over."""
    people = [
        person(
            f"id{index:05d}",
            login=None if siecle else "",
            first_name=f"Prénom{index % 97}",
            classes=(f"C{index // 25}",),
        )
        for index in range(count)
    ]
    return propose_usernames(people)


def run_chain(client: DynamoDBClient, people: Sequence[Person]) -> tuple[int, Counter[str]]:
    """The chain's DynamoDB work for one file; returns the calls it made."""
    platform = moto_platform(client)
    counter = CallCounter(client)
    sync_cohorts(platform, UAI, sorted({name for item in people for name in item.classes}))
    for start in range(0, len(people), CHUNK):
        upsert_people(platform, UAI, people[start : start + CHUNK], POLICY)
    plan_and_apply(platform, UAI, {item.id for item in people}, POLICY)
    client.meta.events.unregister("before-call.dynamodb", counter._count)
    return counter.total(), counter.calls


@pytest.mark.parametrize(("count", "siecle"), [(1000, False), (570, False), (1000, True)])
def test_first_import_stays_within_100_calls_per_1000_people(
    dynamodb: DynamoDBClient, count: int, siecle: bool
) -> None:
    # GIVEN an empty platform WHEN a whole file is imported
    total, calls = run_chain(dynamodb, roster(count, siecle=siecle))
    # THEN the chain made at most 100 DynamoDB calls per 1,000 people, never a Scan, and no per-user
    # GetItem: the one GetItem is the username keys' migration marker (dal/dynamodb/username_keys.py),
    # read once by the adapter; on a new platform that pass also costs one Query and writes the marker
    assert total * 1000 <= 100 * count, calls
    assert calls["Scan"] == 0, calls
    assert calls["GetItem"] <= 1, calls


def test_unchanged_reimport_stays_within_20_calls_and_writes_nothing(dynamodb: DynamoDBClient) -> None:
    # GIVEN an imported file
    people = roster(1000)
    run_chain(dynamodb, people)
    # WHEN it is imported again
    total, calls = run_chain(dynamodb, people)
    # THEN only reads happened, at most 20 of them
    assert total <= 20, calls
    assert set(calls) == {"Query"}


def test_the_budget_run_really_imported_everyone(dynamodb: DynamoDBClient) -> None:
    # GIVEN the budget scenario WHEN re-run with a changed file THEN outcomes are exact (the count is not of a no-op)
    people = roster(100)
    run_chain(dynamodb, people)
    platform = moto_platform(dynamodb)
    changed = [
        item.model_copy(update={"classes": ("C9",)}) if index < 10 else item for index, item in enumerate(people)
    ]
    outcomes = upsert_people(platform, UAI, changed, POLICY)
    assert Counter(outcome.outcome for outcome in outcomes) == {Outcome.UPDATED: 10, Outcome.UNCHANGED: 90}
    assert len(platform.accounts(UAI)) == 100
