"""The auth function's handler on moto, with real API Gateway HTTP API v2 events (tests/events/)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from elea.config.accounts_settings import AuthSettings
from elea.config.environment import InvalidSettings
from elea.dal.aws_clients import forget_clients
from elea.dal.dynamodb.credentials import DynamoDbCredentialStore
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.establishments.establishment import new_establishment
from elea.establishments.register import register_establishment
from elea.establishments.services import RegistryServices
from elea.ports.platform import AccountStatus
from elea_local.cfn_template import LOCAL_REGION, local_stack
from elea_local.lambdas import LocalLambdaContext, load_handler
from tests.fakes.memory_mailer import InMemoryMailer
from tests.integration.template_tables import create_template_table

EVENTS = Path(__file__).resolve().parents[2] / "events"
UAI = "0771234Y"
PLATFORM_ID = "idf-77-3"
GOOD = "Nouveau-Mot2passe"
# Cheap argon2id in tests: the same code path, milliseconds instead of a quarter second.
CHEAP_ARGON2 = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "8", "ARGON2_PARALLELISM": "1"}


def _handler() -> Any:
    return load_handler(local_stack().functions["AuthFunction"])


def _context() -> LocalLambdaContext:
    return LocalLambdaContext(function_name="AuthFunction", invoked_function_arn="arn:AuthFunction")


@dataclass
class Api:
    token: str
    initial_password: str

    def call(self, sample: str, body: dict[str, Any] | None = None, raw_body: str | None = None) -> dict[str, Any]:
        event = copy.deepcopy(json.loads((EVENTS / sample).read_text(encoding="utf-8")))
        if body is not None:
            event["body"] = json.dumps(body)
        if raw_body is not None:
            event["body"] = raw_body
        return _handler()(event, _context())  # type: ignore[no-any-return]

    def activate(self, token: str, password: str) -> tuple[int, dict[str, Any]]:
        answer = self.call("http_activation.json", {"token": token, "new_password": password})
        return answer["statusCode"], json.loads(answer["body"])

    def login(self, password: str, uai: str = UAI) -> tuple[int, dict[str, Any], dict[str, str]]:
        answer = self.call("http_login.json", {"uai": uai, "password": password})
        return answer["statusCode"], json.loads(answer["body"]), answer["headers"]


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    stack = local_stack()
    # The template's environment, as the function gets it when deployed.
    for name, value in {**stack.environment(), **CHEAP_ARGON2}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", LOCAL_REGION)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    with mock_aws():
        forget_clients()
        dynamodb = boto3.client("dynamodb", region_name=LOCAL_REGION)
        for table in ("EstablishmentsTable", "CredentialsTable", "PlatformTable"):
            create_template_table(dynamodb, table)
        settings = AuthSettings.from_environ()
        mailer = InMemoryMailer()
        platform = DynamoDbPlatform(settings.platform_table, PLATFORM_ID, client=dynamodb)
        register_establishment(
            new_establishment(uai=UAI, name="Collège Jean Moulin", department="77", basin="3"),
            RegistryServices(
                establishments=DynamoDbEstablishmentStore(settings.establishments_table, client=dynamodb),
                credentials=DynamoDbCredentialStore(settings.credentials_table, client=dynamodb),
                platforms=lambda _: platform,
                mailer=mailer,
                academy=settings.academy(),
                hashing=settings.hashing(),
            ),
        )
        text = mailer.sent[0].text
        token = re.search(r"#token=([\w-]+)", text)
        password = re.search(r"Mot de passe initial : (\S+)", text)
        assert token
        assert password
        yield Api(token=token.group(1), initial_password=password.group(1))
        forget_clients()


def test_activation_page_is_served_with_a_strict_content_security_policy(api: Api) -> None:
    answer = api.call("http_activation_page.json")
    assert answer["statusCode"] == 200
    assert answer["headers"]["Content-Type"].startswith("text/html")
    nonce = re.search(r"script-src 'nonce-([\w-]+)'", answer["headers"]["Content-Security-Policy"])
    assert nonce
    assert f'<script nonce="{nonce.group(1)}">' in answer["body"]
    assert answer["headers"]["Cache-Control"] == "no-store"
    assert answer["headers"]["Referrer-Policy"] == "no-referrer"


def test_activation_with_the_mailed_token_activates_the_platform_account(api: Api) -> None:
    status, body = api.activate(api.token, GOOD)
    assert status == 200
    assert body["uai"] == UAI
    assert body["platform_url"] == "https://idf-77-3.elea.apps.education.fr/"
    [account] = DynamoDbPlatform(AuthSettings.from_environ().platform_table, PLATFORM_ID).accounts(UAI)
    assert account.status is AccountStatus.ACTIVE
    assert account.is_flagged


def test_used_and_unknown_tokens_get_the_same_french_answer(api: Api) -> None:
    api.activate(api.token, GOOD)
    used = api.activate(api.token, GOOD)
    unknown = api.activate("A" * 43, GOOD)
    assert used == unknown
    assert used[0] == 400
    assert used[1]["code"] == "activation_link_invalid"
    assert "déjà été utilisé" in used[1]["message"]


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("court1A", "password_too_short"),
        ("sansmajuscule1x", "password_needs_uppercase"),
        ("Mon-0771234Y-x", "password_contains_username"),
    ],
)
def test_password_policy_errors_name_the_rule(api: Api, password: str, code: str) -> None:
    status, body = api.activate(api.token, password)
    assert (status, body["code"]) == (400, code)
    assert body["hint"]


@pytest.mark.parametrize(
    "raw_body",
    [
        "pas du json",
        json.dumps({"token": "x"}),
        json.dumps({"token": "x", "new_password": "y", "z": 1}),
        json.dumps([1]),
    ],
)
def test_a_malformed_body_is_a_french_400_without_traceback(api: Api, raw_body: str) -> None:
    answer = api.call("http_activation.json", raw_body=raw_body)
    body = json.loads(answer["body"])
    assert answer["statusCode"] == 400
    assert body["code"] == "invalid_request"
    assert "mal formée" in body["message"]


def test_login_requires_activation_then_works_with_the_new_password(api: Api) -> None:
    # WHEN the manager first logs in with the mailed initial password THEN a 403 sends them to the link
    status, body, _ = api.login(api.initial_password)
    assert (status, body["code"]) == (403, "password_change_required")
    assert body["message"].startswith("Un nouveau mot de passe est demandé à la première connexion")
    assert "lien d'activation" in body["message"]
    api.activate(api.token, GOOD)
    # THEN the initial password is an ordinary wrong password, and the new one works
    assert api.login(api.initial_password)[:2] == (401, api.login("Mauvais-Mot2passe")[1])
    status, body, _ = api.login(GOOD, uai="0771234y")
    assert status == 200
    assert body["uai"] == UAI


def test_a_wrong_password_on_a_pending_account_reveals_nothing_and_counts(api: Api) -> None:
    # GIVEN the account is pending activation; WHEN a guesser tries wrong passwords
    answers = [api.login("Mauvais-Mot2passe") for _ in range(5)]
    # THEN each answer is the generic 401, the same as for a UAI that has no account at all
    unknown = api.login("Mauvais-Mot2passe", uai="0930001W")
    assert [(status, body) for status, body, _ in answers] == [unknown[:2]] * 5
    assert unknown[1]["code"] == "login_failed"
    # AND the limit applies: even the initial password now gets the 429, not the pending answer
    status, body, _ = api.login(api.initial_password)
    assert (status, body["code"]) == (429, "too_many_attempts")


def test_repeated_failures_are_rate_limited_with_429_and_retry_after(api: Api) -> None:
    api.activate(api.token, GOOD)
    answers = [api.login("Mauvais-Mot2passe")[0] for _ in range(5)]
    assert answers == [401] * 5
    status, body, headers = api.login(GOOD)
    assert (status, body["code"]) == (429, "too_many_attempts")
    assert 0 < int(headers["Retry-After"]) <= 900
    assert "Réessayez dans" in body["hint"]


def test_an_unknown_route_is_a_french_404(api: Api) -> None:
    event = json.loads((EVENTS / "http_login.json").read_text(encoding="utf-8"))
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/admin"
    answer = _handler()(event, _context())
    assert answer["statusCode"] == 404
    assert json.loads(answer["body"])["code"] == "not_found"


def test_missing_settings_are_named_at_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CREDENTIALS_TABLE", raising=False)
    monkeypatch.delenv("ARGON2_TIME_COST", raising=False)
    with pytest.raises(InvalidSettings, match="ARGON2_TIME_COST, CREDENTIALS_TABLE"):
        AuthSettings.from_environ({"PLATFORM_TABLE": "p"})
