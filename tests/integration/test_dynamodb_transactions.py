"""The platform adapter's grouped writes (TransactWriteItems by 100) and the local stack's journaled
rollback of moto transactions (seam 7 of elea_local.moto_seam)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from elea.dal.dynamodb.batch import Backoff, Item, transact_put
from elea.errors import PlatformError
from tests.integration.moto_platform import TABLE, moto_client

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

NO_WAIT = Backoff(sleep=lambda _: None)


@pytest.fixture
def dynamodb() -> Iterator[DynamoDBClient]:
    with mock_aws():
        yield moto_client()


def item(pk: str, sk: str = "ACCOUNT", **fields: str) -> Item:
    return {"pk": {"S": pk}, "sk": {"S": sk}, **{name: {"S": value} for name, value in fields.items()}}


def pair(index: int) -> list[Item]:
    return [item(f"P#ACCOUNT#{index}"), item("P#UAI#0771234Y", f"ACCOUNT#{index}")]


class RecordingClient:
    """Answers TransactWriteItems with the given errors first, then success; keeps each call's actions."""

    def __init__(self, *errors: ClientError) -> None:
        self.errors = list(errors)
        self.calls: list[list[Any]] = []

    def transact_write_items(self, *, TransactItems: list[Any]) -> dict[str, Any]:
        self.calls.append(TransactItems)
        if self.errors:
            raise self.errors.pop(0)
        return {}


def cancelled(*codes: str) -> ClientError:
    response: Any = {
        "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
        "CancellationReasons": [{"Code": code} for code in codes],
    }
    return ClientError(response, "TransactWriteItems")


def test_pairs_are_packed_100_items_per_transaction_and_never_split() -> None:
    # GIVEN 120 accounts, each an account item and its school's link
    client = RecordingClient()
    # WHEN they are written
    transact_put(client, TABLE, [pair(index) for index in range(120)], NO_WAIT)  # type: ignore[arg-type]
    # THEN three transactions of 100, 100 and 40 items, each holding whole pairs in order
    assert [len(call) for call in client.calls] == [100, 100, 40]
    written = [action["Put"]["Item"]["pk"]["S"] for call in client.calls for action in call]
    assert written[198:200] == ["P#ACCOUNT#99", "P#UAI#0771234Y"]
    assert written[200] == "P#ACCOUNT#100"


def test_odd_groups_move_whole_to_the_next_transaction() -> None:
    # GIVEN groups of 3 items WHEN 34 of them are written (102 items)
    client = RecordingClient()
    groups = [[*pair(index), item(f"P#EXTRA#{index}")] for index in range(34)]
    transact_put(client, TABLE, groups, NO_WAIT)  # type: ignore[arg-type]
    # THEN the 34th group is not cut: 99 items, then 3
    assert [len(call) for call in client.calls] == [99, 3]


def test_a_transaction_cancelled_by_a_concurrent_write_is_tried_again() -> None:
    # GIVEN DynamoDB cancelling the first attempt (another write on one item, throttling on another)
    client = RecordingClient(cancelled("None", "TransactionConflict", "ThrottlingError"))
    # WHEN a pair is written THEN it is written by the second attempt, the same actions
    transact_put(client, TABLE, [pair(1)], NO_WAIT)  # type: ignore[arg-type]
    assert len(client.calls) == 2
    assert client.calls[0] == client.calls[1]


def test_a_failed_condition_is_not_retried_and_becomes_a_platform_error() -> None:
    # GIVEN a cancellation for a reason another attempt would not change
    client = RecordingClient(cancelled("ValidationError", "None"))
    # WHEN a pair is written THEN the step fails with the French platform error, after one attempt
    with pytest.raises(PlatformError, match="TransactWriteItems") as raised:
        transact_put(client, TABLE, [pair(1)], NO_WAIT)  # type: ignore[arg-type]
    assert raised.value.code == "platform_error"
    assert len(client.calls) == 1


def test_conflicts_that_never_end_fail_the_step_as_throttled() -> None:
    # GIVEN every attempt cancelled by a conflict WHEN a pair is written THEN the step fails, bounded
    client = RecordingClient(*(cancelled("TransactionConflict") for _ in range(NO_WAIT.attempts)))
    with pytest.raises(PlatformError) as raised:
        transact_put(client, TABLE, [pair(1)], NO_WAIT)  # type: ignore[arg-type]
    assert raised.value.code == "platform_throttled"
    assert len(client.calls) == NO_WAIT.attempts


def test_a_pair_lands_whole_on_moto(dynamodb: DynamoDBClient) -> None:
    # GIVEN an empty table WHEN 60 pairs are written THEN all 120 items are there
    transact_put(dynamodb, TABLE, [pair(index) for index in range(60)], NO_WAIT)
    count = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "P#UAI#0771234Y"}},
        Select="COUNT",
    )["Count"]
    assert count == 60
    assert "Item" in dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "P#ACCOUNT#59"}, "sk": {"S": "ACCOUNT"}})


def test_a_cancelled_moto_transaction_leaves_every_item_as_it_was(dynamodb: DynamoDBClient) -> None:
    # GIVEN an item, and a transaction that rewrites it, adds another, then fails a condition
    dynamodb.put_item(TableName=TABLE, Item=item("P#ACCOUNT#1", name="before"))
    actions: Any = [
        {"Put": {"TableName": TABLE, "Item": item("P#ACCOUNT#1", name="after")}},
        {"Put": {"TableName": TABLE, "Item": item("P#ACCOUNT#2", name="new")}},
        {
            "Put": {
                "TableName": TABLE,
                "Item": item("P#ACCOUNT#3"),
                "ConditionExpression": "attribute_exists(pk)",
            }
        },
    ]
    # WHEN it runs (seam 7 journals its items instead of copying the table)
    with pytest.raises(ClientError, match="TransactionCanceledException"):
        dynamodb.transact_write_items(TransactItems=actions)
    # THEN the first item is as it was and the second was never written
    first = dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "P#ACCOUNT#1"}, "sk": {"S": "ACCOUNT"}})["Item"]
    assert first["name"] == {"S": "before"}
    assert "Item" not in dynamodb.get_item(TableName=TABLE, Key={"pk": {"S": "P#ACCOUNT#2"}, "sk": {"S": "ACCOUNT"}})
