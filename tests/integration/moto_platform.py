"""A DynamoDbPlatform on moto, with the table exactly as `platform_table_definition` describes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3

from elea.dal.dynamodb.batch import Backoff
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.dal.dynamodb.platform_table import platform_table_definition

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

TABLE = "elea-platform"
REGION = "eu-west-3"


def moto_client() -> DynamoDBClient:
    """Call inside `mock_aws`: a client and a fresh platform table."""
    client: DynamoDBClient = boto3.client("dynamodb", region_name=REGION)
    client.create_table(**platform_table_definition(TABLE))
    return client


def moto_platform(client: DynamoDBClient, *, page_size: int | None = None) -> DynamoDbPlatform:
    return DynamoDbPlatform(TABLE, "idf-77-3", client, backoff=Backoff(sleep=lambda _: None), page_size=page_size)
