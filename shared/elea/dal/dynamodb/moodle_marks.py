"""The AccountMarks port in the platform table's `MOODLE_MARKS` partition (keys in `platform_table`).

One item a school, `SCHOOL#{uai}`: `rounds` (N), `marks` (SS of `{moodle id}:{fingerprint}`, absent when
empty), replaced by the Classes step, and `noted` (SS, the same form, `{moodle id}:-` to forget), which the
Users and Deprovision steps ADD to: a set ADD is atomic, so concurrent chunks of one import lose nothing.
A roster of 2,000 accounts is about 50 KB; a roster too large for one item (past `MAX_MARKS`) keeps no
marks, and is read whole at each import, as without marks.

Calls: `read` one strongly consistent GetItem; `record` one PutItem; `note` one UpdateItem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from elea.dal.dynamodb.batch import Item, platform_errors
from elea.dal.dynamodb.platform_table import PARTITION_KEY, SORT_KEY, moodle_marks_partition
from elea.dal.dynamodb.table import DynamoDbTable
from elea.ports.account_marks import SchoolMarks, merged

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

_SCHOOL = "SCHOOL#"
_FORGOTTEN = "-"
# DynamoDB's items stop at 400 KB; a mark takes about 25 bytes.
MAX_MARKS = 12_000


class DynamoDbAccountMarks(DynamoDbTable):
    def __init__(self, table_name: str, platform_id: str, client: DynamoDBClient | None = None) -> None:
        super().__init__(table_name, client)
        self._partition = moodle_marks_partition(platform_id)

    def read(self, uai: str) -> SchoolMarks | None:
        with platform_errors("GetItem"):
            found = self._db.get_item(TableName=self._table, Key=self._key(uai), ConsistentRead=True)
        item = found.get("Item")
        if item is None:
            return None
        noted = [
            (account_id, None if mark == _FORGOTTEN else mark)
            for account_id, mark in _parse(item.get("noted", {}).get("SS", []))
        ]
        marks = merged(dict(_parse(item.get("marks", {}).get("SS", []))), noted)
        return SchoolMarks(rounds=int(item.get("rounds", {}).get("N", "0")), marks=marks)

    def record(self, uai: str, marks: SchoolMarks) -> None:
        item: Item = {**self._key(uai), "rounds": {"N": str(marks.rounds)}}
        if marks.marks and len(marks.marks) <= MAX_MARKS:
            item["marks"] = {"SS": [f"{account_id}:{mark}" for account_id, mark in sorted(marks.marks.items())]}
        with platform_errors("PutItem"):
            self._db.put_item(TableName=self._table, Item=item)

    def note(self, uai: str, marks: Mapping[int, str | None]) -> None:
        if not marks:
            return
        values = sorted({f"{int(account_id)}:{mark or _FORGOTTEN}" for account_id, mark in marks.items()})
        with platform_errors("UpdateItem"):
            self._db.update_item(
                TableName=self._table,
                Key=self._key(uai),
                UpdateExpression="ADD noted :marks",
                ExpressionAttributeValues={":marks": {"SS": values}},
            )

    def _key(self, uai: str) -> Item:
        return {PARTITION_KEY: {"S": self._partition}, SORT_KEY: {"S": _SCHOOL + uai}}


def _parse(values: Iterable[str]) -> list[tuple[int, str]]:
    pairs: list[tuple[int, str]] = []
    for value in values:
        account_id, _, mark = value.partition(":")
        if account_id.isdigit() and mark:
            pairs.append((int(account_id), mark))
    return pairs
