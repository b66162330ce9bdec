"""Each platform's Moodle token from Secrets Manager (moto): one secret per platform id, read once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from elea.dal.moodle.errors import MoodleConfigurationError
from elea.dal.secrets.moodle_tokens import MoodleTokenSecrets

PATTERN = "elea-import/moodle/{platform_id}"


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.client("secretsmanager")


class CountingClient:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.reads = 0

    def get_secret_value(self, **kwargs: Any) -> Any:
        self.reads += 1
        return self.client.get_secret_value(**kwargs)


def test_each_platform_has_its_own_secret_read_once_per_process(client: Any) -> None:
    # GIVEN two platforms' secrets, one plain and one JSON
    client.create_secret(Name="elea-import/moodle/idf-77-3", SecretString="tok773")
    client.create_secret(Name="elea-import/moodle/idf-93-1", SecretString=json.dumps({"token": "tok931"}))
    counting = CountingClient(client)
    secrets = MoodleTokenSecrets(counting, PATTERN)  # type: ignore[arg-type]
    # WHEN each is asked twice
    tokens = [secrets.token("idf-77-3"), secrets.token("idf-93-1"), secrets.token("idf-77-3")]
    # THEN each secret is read once
    assert tokens == ["tok773", "tok931", "tok773"]
    assert counting.reads == 2


def test_a_missing_secret_is_a_french_configuration_error_naming_the_platform(client: Any) -> None:
    secrets = MoodleTokenSecrets(client, PATTERN)
    with pytest.raises(MoodleConfigurationError) as caught:
        secrets.token("idf-77-9")
    assert "idf-77-9" in caught.value.message
    assert "ResourceNotFoundException" in caught.value.message


def test_an_empty_secret_is_refused(client: Any) -> None:
    client.create_secret(Name="elea-import/moodle/idf-77-3", SecretString=json.dumps({"other": "x"}))
    with pytest.raises(MoodleConfigurationError):
        MoodleTokenSecrets(client, PATTERN).token("idf-77-3")


def test_the_pattern_must_name_the_platform(client: Any) -> None:
    with pytest.raises(MoodleConfigurationError):
        MoodleTokenSecrets(client, "elea-import/moodle")
