"""The DynamoDB credential store and its in-memory fake behave alike (the fake is only worth that)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto import mock_aws

from elea.credentials.manager_credential import ManagerCredential, ManagerStatus
from elea.dal.dynamodb.credentials import DynamoDbCredentialStore
from elea.ports.credential_store import CredentialStore
from tests.fakes.memory_credentials import InMemoryCredentialStore
from tests.integration.template_tables import create_template_table

UAI = "0771234Y"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


@pytest.fixture(params=["memory", "dynamodb"])
def store(request: pytest.FixtureRequest) -> Iterator[CredentialStore]:
    if request.param == "memory":
        yield InMemoryCredentialStore()
        return
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-3")
        create_template_table(client, "CredentialsTable", "credentials")
        yield DynamoDbCredentialStore("credentials", client=client)


def _issued(digest: str = "d1") -> ManagerCredential:
    return ManagerCredential(
        uai=UAI,
        password_hash="$argon2id$hash",
        status=ManagerStatus.PENDING_ACTIVATION,
        token_digest=digest,
        token_expires_at=NOW + timedelta(days=7),
        issued_at=NOW,
    )


def test_issued_credential_is_found_by_uai_and_by_token(store: CredentialStore) -> None:
    store.save_issued(_issued(), replaced_token_digest=None)
    assert store.manager(UAI) == _issued()
    assert store.manager_by_token("d1") == _issued()
    assert store.manager_by_token("unknown") is None
    store.mark_mail_sent(UAI, token_digest="d1", at=NOW)
    assert store.manager(UAI).mail_sent_at == NOW  # type: ignore[union-attr]


def test_a_replaced_token_is_no_longer_found(store: CredentialStore) -> None:
    store.save_issued(_issued("d1"), replaced_token_digest=None)
    store.save_issued(_issued("d2"), replaced_token_digest="d1")
    assert store.manager_by_token("d1") is None
    assert store.manager_by_token("d2") is not None
    # AND a late "mail sent" for the old token does not mark the new one
    store.mark_mail_sent(UAI, token_digest="d1", at=NOW)
    assert store.manager(UAI).mail_sent_at is None  # type: ignore[union-attr]


def test_activation_consumes_the_token_exactly_once(store: CredentialStore) -> None:
    store.save_issued(_issued(), replaced_token_digest=None)
    assert store.activate(UAI, token_digest="d1", password_hash="$argon2id$new", at=NOW)
    # WHEN the same token is used again THEN it is refused and nothing changes
    assert not store.activate(UAI, token_digest="d1", password_hash="$argon2id$other", at=NOW)
    credential = store.manager(UAI)
    assert credential is not None
    assert (credential.status, credential.password_hash, credential.token_digest) == (
        ManagerStatus.ACTIVE,
        "$argon2id$new",
        None,
    )
    assert credential.activated_at == NOW
    assert store.manager_by_token("d1") is None


def test_login_attempts_are_limited_per_window_and_cleared(store: CredentialStore) -> None:
    store.save_issued(_issued(), replaced_token_digest=None)
    # GIVEN 5 attempts allowed per window
    allowed = [
        store.reserve_login_attempt(UAI, at=NOW + timedelta(seconds=i), window=WINDOW, limit=5) for i in range(7)
    ]
    assert allowed == [True] * 5 + [False] * 2
    # WHEN the window has passed THEN a new one opens
    assert store.reserve_login_attempt(UAI, at=NOW + WINDOW + timedelta(seconds=1), window=WINDOW, limit=5)
    assert store.manager(UAI).login_attempts == 1  # type: ignore[union-attr]
    store.clear_login_attempts(UAI)
    assert store.manager(UAI).login_attempts == 0  # type: ignore[union-attr]


def test_no_attempt_is_counted_for_an_unknown_account(store: CredentialStore) -> None:
    assert not store.reserve_login_attempt("0930001W", at=NOW, window=WINDOW, limit=5)
    assert store.manager("0930001W") is None


@mock_aws
def test_every_token_lookup_costs_two_reads_whatever_the_token() -> None:
    # GIVEN a live, an expired (still stored), a used and an unknown token
    client = boto3.client("dynamodb", region_name="eu-west-3")
    create_template_table(client, "CredentialsTable", "credentials")
    store = DynamoDbCredentialStore("credentials", client=client)
    store.save_issued(_issued("live"), replaced_token_digest=None)
    other = _issued("used").model_copy(update={"uai": "0930001W"})
    store.save_issued(other, replaced_token_digest=None)
    store.activate("0930001W", token_digest="used", password_hash="$argon2id$x", at=NOW)
    calls: list[str] = []
    client.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    # WHEN each is looked up THEN the same DynamoDB work is done: timing does not tell them apart
    per_token = {}
    for digest in ("live", "used", "unknown"):
        calls.clear()
        store.manager_by_token(digest)
        per_token[digest] = list(calls)
    assert per_token["live"] == per_token["used"] == per_token["unknown"] == ["GetItem", "GetItem"]
