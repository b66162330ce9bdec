"""template.yaml against the accounts and mail code (issue 4): tables, API routes, least privilege."""

from __future__ import annotations

from typing import Any

from elea_local.cfn_template import load_template, local_stack

RESOURCES: dict[str, Any] = load_template()["Resources"]


def _keys(table: str) -> list[tuple[str, str]]:
    schema = RESOURCES[table]["Properties"]["KeySchema"]
    return [(key["AttributeName"], key["KeyType"]) for key in schema]


def test_registry_tables_have_the_keys_the_adapters_use_and_are_protected() -> None:
    assert _keys("EstablishmentsTable") == [("pk", "HASH")]
    assert _keys("CredentialsTable") == [("pk", "HASH"), ("sk", "RANGE")]
    credentials = RESOURCES["CredentialsTable"]["Properties"]
    # Expired activation tokens disappear on their own (expiry is still checked in code).
    assert credentials["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    for table in ("EstablishmentsTable", "CredentialsTable"):
        properties = RESOURCES[table]["Properties"]
        assert properties["SSESpecification"] == {"SSEEnabled": True}
        assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert RESOURCES[table]["DeletionPolicy"] == "Retain"


def test_the_auth_function_serves_exactly_the_activation_and_login_routes() -> None:
    events = RESOURCES["AuthFunction"]["Properties"]["Events"]
    routes = sorted((e["Properties"]["Method"], e["Properties"]["Path"]) for e in events.values())
    assert routes == [("GET", "/activation"), ("POST", "/activation"), ("POST", "/login")]
    assert all(e["Type"] == "HttpApi" and e["Properties"]["ApiId"] == {"Ref": "AuthApi"} for e in events.values())
    api = RESOURCES["AuthApi"]["Properties"]
    assert api["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0
    # The access log format never includes the body or the query string.
    assert "body" not in api["AccessLogSettings"]["Format"]
    assert "querystring" not in api["AccessLogSettings"]["Format"].lower()


def test_only_the_report_steps_may_send_mail_and_only_from_the_sender_identity() -> None:
    senders = {
        name
        for name, spec in RESOURCES.items()
        for policy in spec.get("Properties", {}).get("Policies", [])
        if isinstance(policy, dict) and "SESCrudPolicy" in policy
    }
    assert senders == {"ReportFunction", "ReportFailureFunction"}
    for name in senders:
        (policy,) = [
            p for p in RESOURCES[name]["Properties"]["Policies"] if isinstance(p, dict) and "SESCrudPolicy" in p
        ]
        assert policy["SESCrudPolicy"] == {"IdentityName": {"Ref": "MailSender"}}


def test_the_auth_function_cannot_read_exports_or_reports() -> None:
    policies = RESOURCES["AuthFunction"]["Properties"]["Policies"]
    assert not any("S3" in next(iter(policy)) for policy in policies)
    tables = {next(iter(policy.values()))["TableName"]["Ref"] for policy in policies}
    assert tables == {"CredentialsTable", "EstablishmentsTable", "PlatformTable"}


def test_argon2_cost_is_the_rfc_9106_low_memory_profile_when_deployed() -> None:
    environment = local_stack().functions["AuthFunction"].environment
    assert (environment["ARGON2_TIME_COST"], environment["ARGON2_MEMORY_KIB"], environment["ARGON2_PARALLELISM"]) == (
        "3", "65536", "4",
    )  # fmt: skip
