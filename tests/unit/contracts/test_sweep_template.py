"""template.yaml for the sweep of expired « Aperçu » plans (issue 8, item 6): scheduled, retried, least
privilege, and an index that lets it read the waiting plans without a scan."""

from __future__ import annotations

from typing import Any

from elea.dal.dynamodb.import_store import PLANS_BY_DEADLINE_INDEX
from elea_local.cfn_template import load_template

TEMPLATE = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
SWEEP = RESOURCES["SweepFunction"]["Properties"]


def _statements(properties: dict[str, Any]) -> list[dict[str, Any]]:
    return [statement for policy in properties["Policies"] for statement in policy.get("Statement", [])]


def test_the_sweep_runs_every_five_minutes_and_is_retried_within_that_time() -> None:
    (event,) = SWEEP["Events"].values()
    assert event["Type"] == "Schedule"
    assert event["Properties"]["Schedule"] == "rate(5 minutes)"
    # A retried run never overlaps the next one for long: its events are dropped after 4 minutes.
    assert event["Properties"]["RetryPolicy"]["MaximumEventAgeInSeconds"] <= 300
    assert SWEEP["EventInvokeConfig"]["MaximumRetryAttempts"] >= 1
    assert SWEEP["EventInvokeConfig"]["MaximumEventAgeInSeconds"] <= 300


def test_the_sweep_may_only_read_the_waiting_plans_update_records_and_delete_exports() -> None:
    # GIVEN the sweep's policies WHEN listed THEN no managed CRUD policy, only what expiring needs
    assert all("Statement" in policy for policy in SWEEP["Policies"])
    granted = {action for statement in _statements(SWEEP) for action in _list(statement["Action"])}
    assert granted == {"dynamodb:Query", "dynamodb:GetItem", "dynamodb:UpdateItem", "s3:DeleteObject", "s3:ListBucket"}
    (query,) = [statement for statement in _statements(SWEEP) if "dynamodb:Query" in _list(statement["Action"])]
    assert query["Resource"] == {"Fn::Sub": f"${{ImportsTable.Arn}}/index/{PLANS_BY_DEADLINE_INDEX}"}
    (delete,) = [statement for statement in _statements(SWEEP) if "s3:DeleteObject" in _list(statement["Action"])]
    assert delete["Resource"] == [
        {"Fn::Sub": "${ImportBucket.Arn}/imports/*"},
        {"Fn::Sub": "${ImportBucket.Arn}/staging/*"},
    ]
    (listing,) = [statement for statement in _statements(SWEEP) if "s3:ListBucket" in _list(statement["Action"])]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": "staging/*"}}


def test_the_imports_table_indexes_the_waiting_plans_by_deadline() -> None:
    table = RESOURCES["ImportsTable"]["Properties"]
    (index,) = [index for index in table["GlobalSecondaryIndexes"] if index["IndexName"] == PLANS_BY_DEADLINE_INDEX]
    assert index["KeySchema"] == [
        {"AttributeName": "status", "KeyType": "HASH"},
        {"AttributeName": "plan_deadline", "KeyType": "RANGE"},
    ]
    assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert {"AttributeName": "plan_deadline", "AttributeType": "S"} in table["AttributeDefinitions"]


def test_the_web_page_may_cancel_and_launch_a_plan() -> None:
    # « Annuler » deletes the kept export; « Lancer » heads and copies it onto itself.
    web = RESOURCES["WebFunction"]["Properties"]
    on_imports = [
        action
        for statement in _statements(web)
        if statement.get("Resource") == {"Fn::Sub": "${ImportBucket.Arn}/imports/*"}
        for action in _list(statement["Action"])
    ]
    assert {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"} <= set(on_imports)


def test_forgotten_exports_expire_after_a_day_whatever_happens() -> None:
    rules = RESOURCES["ImportBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert {"Prefix": "imports/", "ExpirationInDays": 1}.items() <= next(
        rule for rule in rules if rule["Prefix"] == "imports/"
    ).items()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
