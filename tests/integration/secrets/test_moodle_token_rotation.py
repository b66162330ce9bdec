"""A platform's Moodle token rotated while a Lambda keeps the old one: on `invalidtoken` the web-service
client reads the platform's secret again (Secrets Manager on moto), once, and retries the call once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from elea.composition.moodle import MoodleEndpoint, _web_service
from elea.dal.aws_clients import forget_clients
from elea.dal.moodle.errors import MoodleCallError
from elea_local.cfn_template import LOCAL_REGION
from tests.fakes.fake_moodle import FakeMoodle

PREFIX = "elea-import/moodle/"
PLATFORM = "idf-77-3"
SECRET = PREFIX + PLATFORM


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", LOCAL_REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        forget_clients()
        yield boto3.client("secretsmanager", region_name=LOCAL_REGION)
        forget_clients()


def test_a_rotated_token_is_read_again_from_its_secret_and_the_call_retried_once(
    secrets: Any, fake_moodle: FakeMoodle
) -> None:
    # GIVEN the platform's client built with the secret's token (read once per process)
    secrets.create_secret(Name=SECRET, SecretString=fake_moodle.token)
    ws = _web_service(MoodleEndpoint(PLATFORM, fake_moodle.url), PREFIX, 1)
    assert ws.users_by_field("username", ["admin"])
    # WHEN the admin rotates the token and puts the new one in the secret
    fresh = fake_moodle.rotate_token()
    secrets.put_secret_value(SecretId=SECRET, SecretString=fresh)
    fake_moodle.reset_calls()
    # THEN the next call succeeds: refused once, the secret read again, the call made again with the new token
    assert [user.username for user in ws.users_by_field("username", ["admin"])] == ["admin"]
    assert fake_moodle.calls["core_user_get_users_by_field"] == 2
    # AND the calls after it use the new token straight away
    fake_moodle.reset_calls()
    ws.users_by_field("username", ["admin"])
    assert fake_moodle.calls["core_user_get_users_by_field"] == 1


def test_a_token_revoked_without_a_new_secret_fails_after_one_re_read(secrets: Any, fake_moodle: FakeMoodle) -> None:
    # GIVEN the platform's client, then the token rotated in Moodle but the secret left as it was
    secrets.create_secret(Name=SECRET, SecretString=fake_moodle.token)
    ws = _web_service(MoodleEndpoint(PLATFORM, fake_moodle.url), PREFIX, 1)
    fake_moodle.rotate_token()
    fake_moodle.reset_calls()
    # WHEN a call is made THEN it fails as invalidtoken, in French, after a single retry (no loop)
    with pytest.raises(MoodleCallError) as refused:
        ws.users_by_field("username", ["admin"])
    assert refused.value.code == "moodle_invalid_token"
    assert "jeton" in refused.value.message
    assert fake_moodle.calls["core_user_get_users_by_field"] == 1  # the same token is never sent twice
