"""Handlers on moto: the template's tables and the sample events' bucket, the template's environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from elea.dal.aws_clients import forget_clients
from elea_local.cfn_template import LOCAL_REGION, local_stack
from elea_local.lambdas import Handler, LocalLambdaContext, load_handler

EVENTS = Path(__file__).resolve().parents[2] / "events"
SAMPLE_BUCKET = "elea-import-importbucket-1x2y3z4w5v6u"


def sample_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return event


@dataclass
class Deployed:
    s3: Any
    dynamodb: Any
    tables: dict[str, str]

    def handler(self, function: str) -> Handler:
        return load_handler(local_stack().functions[function])

    def invoke(self, function: str, payload: dict[str, Any]) -> dict[str, Any]:
        context = LocalLambdaContext(function_name=function, invoked_function_arn=f"arn:{function}")
        # Through JSON both ways, as Lambda does.
        return json.loads(json.dumps(self.handler(function)(json.loads(json.dumps(payload)), context)))


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployed]:
    stack = local_stack()
    for name, value in {**stack.environment(), "IMPORT_BUCKET": SAMPLE_BUCKET}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", LOCAL_REGION)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    with mock_aws():
        forget_clients()
        s3 = boto3.client("s3", region_name=LOCAL_REGION)
        dynamodb = boto3.client("dynamodb", region_name=LOCAL_REGION)
        s3.create_bucket(Bucket=SAMPLE_BUCKET, CreateBucketConfiguration={"LocationConstraint": LOCAL_REGION})
        for spec in stack.tables.values():
            properties = spec.properties
            dynamodb.create_table(
                TableName=spec.name,
                KeySchema=properties["KeySchema"],
                AttributeDefinitions=properties["AttributeDefinitions"],
                BillingMode="PAY_PER_REQUEST",
                **(
                    {"GlobalSecondaryIndexes": properties["GlobalSecondaryIndexes"]}
                    if "GlobalSecondaryIndexes" in properties
                    else {}
                ),
            )
        yield Deployed(s3=s3, dynamodb=dynamodb, tables={name: spec.name for name, spec in stack.tables.items()})
        forget_clients()
