"""The RosterMirror port in the platform table's `MOODLE_ROSTERS` partition (keys in `platform_table`).

Items: `SCHOOL#{uai}` (`roster_id` N, `members` NS of Moodle user ids, absent when empty), `CENSUS#{uai}`
(`roster_id` N) and the `CENSUS` item, written last by a census made from Moodle: without it the entries
are not trusted. A school's roster of 2,000 accounts is about 12 KB; a basin's 50 schools, one Query page.

Calls: `read` one strongly consistent Query (a page per MB); `has_census` one strongly consistent GetItem
of the `CENSUS` item alone; `record_census` one BatchWriteItem per 25
rosters; `record_school` one BatchWriteItem; `add_members`/`remove_members` one conditional UpdateItem
(the school's record must exist: a lost record is never rebuilt from a few joiners).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from elea.dal.dynamodb.batch import Backoff, Item, batch_put, platform_errors, query_all
from elea.dal.dynamodb.platform_table import PARTITION_KEY, SORT_KEY, moodle_rosters_partition
from elea.dal.dynamodb.table import DynamoDbTable
from elea.ports.roster_mirror import MirroredRosters, SchoolRoster

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

_SCHOOL = "SCHOOL#"
_CENSUS_ENTRY = "CENSUS#"
_CENSUS = "CENSUS"


class DynamoDbRosterMirror(DynamoDbTable):
    def __init__(
        self,
        table_name: str,
        platform_id: str,
        client: DynamoDBClient | None = None,
        *,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(table_name, client)
        self._partition = moodle_rosters_partition(platform_id)
        self._backoff = backoff or Backoff()

    def read(self) -> MirroredRosters:
        schools: dict[str, SchoolRoster] = {}
        entries: dict[str, int] = {}
        trusted = False
        for item in query_all(
            self._db,
            TableName=self._table,
            KeyConditionExpression="#p = :p",
            ExpressionAttributeNames={"#p": PARTITION_KEY},
            ExpressionAttributeValues={":p": {"S": self._partition}},
            ConsistentRead=True,
        ):
            sort_key = item[SORT_KEY]["S"]
            if sort_key == _CENSUS:
                trusted = True
            elif sort_key.startswith(_CENSUS_ENTRY):
                entries[sort_key.removeprefix(_CENSUS_ENTRY)] = int(item["roster_id"]["N"])
            elif sort_key.startswith(_SCHOOL):
                schools[sort_key.removeprefix(_SCHOOL)] = SchoolRoster(
                    roster_id=int(item["roster_id"]["N"]),
                    members=frozenset(int(member) for member in item.get("members", {}).get("NS", [])),
                )
        return MirroredRosters(schools=schools, census=entries if trusted else None)

    def has_census(self) -> bool:
        with platform_errors("GetItem"):
            found = self._db.get_item(
                TableName=self._table,
                Key={PARTITION_KEY: {"S": self._partition}, SORT_KEY: {"S": _CENSUS}},
                ProjectionExpression="#p",
                ExpressionAttributeNames={"#p": PARTITION_KEY},
                ConsistentRead=True,
            )
        return "Item" in found

    def record_census(self, rosters: Mapping[str, int]) -> None:
        entries = [self._item(_CENSUS_ENTRY + uai, roster_id=roster_id) for uai, roster_id in sorted(rosters.items())]
        batch_put(self._db, self._table, entries, self._backoff)
        # Last: the census is trusted only once every entry is in.
        batch_put(self._db, self._table, [self._item(_CENSUS)], self._backoff)

    def record_school(self, uai: str, roster: SchoolRoster) -> None:
        school = self._item(_SCHOOL + uai, roster_id=roster.roster_id)
        if roster.members:
            school["members"] = {"NS": [str(member) for member in sorted(roster.members)]}
        batch_put(
            self._db, self._table, [school, self._item(_CENSUS_ENTRY + uai, roster_id=roster.roster_id)], self._backoff
        )

    def add_members(self, uai: str, members: Iterable[int]) -> None:
        self._members("ADD", uai, members)

    def remove_members(self, uai: str, members: Iterable[int]) -> None:
        self._members("DELETE", uai, members)

    def _members(self, action: str, uai: str, members: Iterable[int]) -> None:
        ids = sorted({str(int(member)) for member in members})
        if not ids:
            return
        with platform_errors("UpdateItem"):
            try:
                self._db.update_item(
                    TableName=self._table,
                    Key={PARTITION_KEY: {"S": self._partition}, SORT_KEY: {"S": _SCHOOL + uai}},
                    UpdateExpression=f"{action} members :ids",
                    ConditionExpression="attribute_exists(#p)",
                    ExpressionAttributeNames={"#p": PARTITION_KEY},
                    ExpressionAttributeValues={":ids": {"NS": ids}},
                )
            except ClientError as error:
                # No record: the school is read in Moodle until its next import records it again.
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise

    def _item(self, sort_key: str, **numbers: int) -> Item:
        item: Item = {PARTITION_KEY: {"S": self._partition}, SORT_KEY: {"S": sort_key}}
        item |= {name: {"N": str(value)} for name, value in numbers.items()}
        return item
