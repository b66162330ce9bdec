"""The establishment registry in its own DynamoDB table (partition key `pk`, one item per UAI)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from elea.dal.aws_errors import storage_error
from elea.dal.dynamodb.table import DynamoDbTable
from elea.establishments.establishment import Establishment

if TYPE_CHECKING:
    pass

_PREFIX = "ESTABLISHMENT#"


class DynamoDbEstablishmentStore(DynamoDbTable):
    def get(self, uai: str) -> Establishment | None:
        try:
            answer = self._db.get_item(TableName=self._table, Key={"pk": {"S": _PREFIX + uai}}, ConsistentRead=True)
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="lecture de l'établissement") from error
        item = answer.get("Item")
        if item is None:
            return None
        return Establishment(
            uai=item["uai"]["S"],
            name=item["name"]["S"],
            department=item["department"]["S"],
            basin=item["basin"]["S"],
            dry_run_default=bool(item.get("dry_run_default", {}).get("BOOL", False)),
        )

    def put(self, establishment: Establishment) -> None:
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    "pk": {"S": _PREFIX + establishment.uai},
                    "uai": {"S": establishment.uai},
                    "name": {"S": establishment.name},
                    "department": {"S": establishment.department},
                    "basin": {"S": establishment.basin},
                    "dry_run_default": {"BOOL": establishment.dry_run_default},
                },
            )
        except (ClientError, BotoCoreError) as error:
            raise storage_error(error, operation="enregistrement de l'établissement") from error
