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
from elea.config.sweep_settings import SweepSettings
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
    "sweep_handler.handler": SweepSettings,
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


# WebFunction too: its « Suspendre ces comptes » suspends on the school's platform, as approve does.
PLATFORM_FUNCTIONS = ["ClassesFunction", "UsersFunction", "DeprovisionFunction", "WebFunction"]


@pytest.mark.parametrize("function", PLATFORM_FUNCTIONS)
def test_the_platform_steps_know_their_target_and_may_read_only_the_platforms_secrets(function: str) -> None:
    # GIVEN a step that writes the school's platform
    properties = FUNCTIONS[function]["Properties"]
    environment = properties["Environment"]["Variables"]
    # THEN it gets PlatformTarget, the Moodle mapping's parameters and the registry
    assert environment["PLATFORM_TARGET"] == {"Ref": "PlatformTarget"}
    assert environment["MOODLE_ENT_AUTH"] == {"Ref": "MoodleEntAuth"}
    assert environment["MOODLE_EMAIL_PLACEHOLDER"] == {"Ref": "MoodleEmailPlaceholder"}
    assert environment["MOODLE_TOKEN_SECRET_PREFIX"] == {"Ref": "MoodleTokenSecretPrefix"}
    assert environment["MOODLE_PARALLEL_CALLS"] == {"Ref": "MoodleParallelCalls"}
    assert environment["MOODLE_ACCOUNT_CHECK_EVERY"] == {"Ref": "MoodleAccountCheckEvery"}
    assert environment["ESTABLISHMENTS_TABLE"] == {"Ref": "EstablishmentsTable"}
    assert {"DynamoDBReadPolicy": {"TableName": {"Ref": "EstablishmentsTable"}}} in properties["Policies"]
    # AND its only Secrets Manager right is reading the secrets under the prefix
    statements = [
        statement
        for policy in properties["Policies"]
        if isinstance(policy, dict) and "Statement" in policy
        for statement in policy["Statement"]
    ]
    secret_statements = [s for s in statements if any("secretsmanager" in a for a in s["Action"])]
    assert len(secret_statements) == 1
    assert secret_statements[0]["Action"] == ["secretsmanager:GetSecretValue"]
    resource = secret_statements[0]["Resource"]["Fn::Sub"]
    assert resource.endswith(":secret:${MoodleTokenSecretPrefix}*")


def test_functions_that_never_touch_a_moodle_cannot_read_its_token() -> None:
    for name, spec in FUNCTIONS.items():
        if name in PLATFORM_FUNCTIONS:
            continue
        text = str(spec["Properties"].get("Policies", []))
        assert "secretsmanager" not in text, name


def test_the_new_platform_parameters_are_declared_with_safe_defaults() -> None:
    parameters = TEMPLATE["Parameters"]
    assert parameters["PlatformTarget"]["AllowedValues"] == ["moodle", "dynamodb"]
    assert parameters["PlatformTarget"]["Default"] == "dynamodb"  # make demo: the embedded platform
    assert parameters["MoodleEntAuth"]["Default"] == "cas"
    assert parameters["MoodleEmailPlaceholder"]["Default"].endswith(".invalid")
    # The settings model checks the same shapes the template allows
    from elea.config.platform_settings import EMAIL_PLACEHOLDER_PATTERN, ENT_AUTH_PATTERN

    assert parameters["MoodleEmailPlaceholder"]["AllowedPattern"] == EMAIL_PLACEHOLDER_PATTERN
    assert parameters["MoodleEntAuth"]["AllowedPattern"] == ENT_AUTH_PATTERN
    # Every roster account is read in Moodle once in this many imports: the adapter's own default, and 1 allowed
    from elea.ports.account_marks import ACCOUNTS_CHECKED_EVERY

    assert parameters["MoodleAccountCheckEvery"]["Default"] == ACCOUNTS_CHECKED_EVERY
    assert parameters["MoodleAccountCheckEvery"]["MinValue"] == 1
