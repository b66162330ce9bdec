"""What every single-table DynamoDB adapter shares: its table name and the process's client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from elea.dal.aws_clients import dynamodb_client

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDbTable:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        self._client = client

    @property
    def _db(self) -> DynamoDBClient:
        # Looked up at use, not at construction: handlers build adapters per invocation, clients once.
        return self._client or dynamodb_client()
