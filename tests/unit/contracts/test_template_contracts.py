"""template.yaml against the code it deploys: settings, table keys, handler names, hygiene."""

from __future__ import annotations

from typing import Any

import pytest

from elea.config.accounts_settings import AuthSettings, ReportMailSettings, UsersStepSettings
from elea.config.environment import EnvironmentSettings
from elea.config.step_settings import (
    ClassesSettings,
    DeprovisionSettings,
    ParseSettings,
)
from elea.config.web_settings import WebSettings
from elea.dal.dynamodb.platform_table import platform_table_definition
from elea_local.cfn_template import REPO_ROOT, load_template, local_stack

TEMPLATE = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
FUNCTIONS = {name: spec for name, spec in RESOURCES.items() if spec["Type"] == "AWS::Serverless::Function"}
SETTINGS_OF_HANDLER: dict[str, type[EnvironmentSettings]] = {
    "parse_handler.handler": ParseSettings,
    "classes_handler.handler": ClassesSettings,
    "users_handler.handler": UsersStepSettings,
    "deprovision_handler.handler": DeprovisionSettings,
    "report_handler.handler": ReportMailSettings,
    "failure_handler.handler": ReportMailSettings,
    "auth_handler.handler": AuthSettings,
    "web_handler.handler": WebSettings,
}


def test_every_function_has_a_known_handler_with_a_unique_module_name() -> None:
    handlers = [spec["Properties"]["Handler"] for spec in FUNCTIONS.values()]
    assert sorted(handlers) == sorted(SETTINGS_OF_HANDLER)
    assert len({handler.split(".")[0] for handler in handlers}) == len(handlers)
    for spec in FUNCTIONS.values():
        module = spec["Properties"]["Handler"].split(".")[0]
        assert (REPO_ROOT / spec["Properties"]["CodeUri"] / f"{module}.py").is_file()


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_each_function_environment_satisfies_its_settings_model(function: str) -> None:
    # GIVEN the environment the template gives the function (globals included), resolved as deployed
    environment = local_stack().functions[function].environment
    handler = FUNCTIONS[function]["Properties"]["Handler"]
    # WHEN its handler validates it at entry THEN nothing is missing
    SETTINGS_OF_HANDLER[handler].from_environ(environment)
    for name in ("POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "LOG_LEVEL"):
        assert name in environment


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_each_function_has_its_own_log_group_with_retention(function: str) -> None:
    groups = [
        spec
        for spec in RESOURCES.values()
        if spec["Type"] == "AWS::Logs::LogGroup"
        and spec["Properties"]["LogGroupName"] == {"Fn::Sub": f"/aws/lambda/${{{function}}}"}
    ]
    assert len(groups) == 1
    assert "RetentionInDays" in groups[0]["Properties"]


def test_functions_are_traced_and_use_the_shared_layer() -> None:
    globals_ = TEMPLATE["Globals"]["Function"]
    assert globals_["Tracing"] == "Active"
    assert globals_["Layers"] == [{"Ref": "SharedLayer"}]
    layer = RESOURCES["SharedLayer"]
    assert layer["Properties"]["ContentUri"] == "shared/"
    assert layer["Metadata"]["BuildMethod"] == "python3.11"
    assert (REPO_ROOT / "shared" / "requirements.txt").is_file()


def test_no_wildcard_action_is_granted() -> None:
    for name, spec in RESOURCES.items():
        for policy in spec.get("Properties", {}).get("Policies", []):
            for statement in policy.get("Statement", []) if isinstance(policy, dict) else []:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                assert all("*" not in action for action in actions), name


def test_the_platform_table_has_the_keys_the_adapter_uses() -> None:
    expected = platform_table_definition("any")
    actual = RESOURCES["PlatformTable"]["Properties"]
    assert actual["KeySchema"] == expected["KeySchema"]
    assert sorted(actual["AttributeDefinitions"], key=str) == sorted(expected["AttributeDefinitions"], key=str)
    assert actual["GlobalSecondaryIndexes"] == expected["GlobalSecondaryIndexes"]
    assert actual["BillingMode"] == "PAY_PER_REQUEST"
    assert actual["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert actual["SSESpecification"] == {"SSEEnabled": True}


def test_the_bucket_is_private_encrypted_tls_only_and_forgets_exports() -> None:
    bucket = RESOURCES["ImportBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert bucket["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"] is True
    assert "VersioningConfiguration" not in bucket  # a deleted export must not survive as a version
    expiring = {rule["Prefix"]: rule["ExpirationInDays"] for rule in bucket["LifecycleConfiguration"]["Rules"]}
    assert expiring["imports/"] == 1
    assert expiring["staging/"] == 1
    # The login sheets hold clear passwords: a few days, not the reports' year.
    assert expiring["login-sheets/"] == {"Ref": "LoginSheetsRetentionDays"}
    assert TEMPLATE["Parameters"]["LoginSheetsRetentionDays"]["Default"] <= 7
    (statement,) = RESOURCES["ImportBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_only_exports_under_imports_start_the_state_machine() -> None:
    pattern = local_stack().rule_pattern
    assert pattern["detail-type"] == ["Object Created"]
    assert pattern["detail"]["object"]["key"] == [{"prefix": "imports/"}]
