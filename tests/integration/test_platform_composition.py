"""platform_for(uai, settings): the school's platform from the registry, built once per process, its token
from that platform's secret (Secrets Manager on moto) or, locally, from ELEA_MOODLE_TOKEN."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from elea.composition.moodle import MoodleEndpoint, _web_service
from elea.composition.platforms import platform_for, school_platform
from elea.config.step_settings import ApprovalSettings, ClassesSettings
from elea.dal.aws_clients import forget_clients
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.dal.moodle.platform import MoodlePlatform
from elea.establishments.errors import EstablishmentNotRegistered
from elea.establishments.establishment import new_establishment
from elea_local.cfn_template import LOCAL_REGION, local_stack
from tests.integration.template_tables import create_template_table

UAI = "0771234Y"


def settings(target: str, **extra: str) -> ClassesSettings:
    environment = {**local_stack().environment(), "PLATFORM_TARGET": target, **extra}
    return ClassesSettings.from_environ(environment)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_DEFAULT_REGION", LOCAL_REGION)
    with mock_aws():
        forget_clients()
        client = boto3.client("dynamodb", region_name=LOCAL_REGION)
        create_template_table(client, "EstablishmentsTable")
        yield
        forget_clients()


def test_dynamodb_target_is_the_embedded_platform_built_once_per_process(aws: None) -> None:
    first = platform_for(UAI, settings("dynamodb"))
    assert isinstance(first, DynamoDbPlatform)
    assert platform_for("0750654D", settings("dynamodb")) is first  # one table, one adapter
    # A new mock (a new local run) gets new adapters: none outlives the clients it holds
    forget_clients()
    assert platform_for(UAI, settings("dynamodb")) is not first


def test_moodle_target_is_the_school_s_basin_moodle_with_its_platform_s_secret(aws: None) -> None:
    # GIVEN a registered school of basin 77-3 and that platform's token in Secrets Manager
    environment = settings("moodle")
    DynamoDbEstablishmentStore(environment.establishments_table).put(
        new_establishment(uai=UAI, name="Collège", department="77", basin="3")
    )
    secrets = boto3.client("secretsmanager", region_name=LOCAL_REGION)
    secrets.create_secret(Name=f"{environment.moodle_token_secret_prefix}idf-77-3", SecretString="jeton-77-3")
    # WHEN the classes step asks for the school's platform, twice
    platform = platform_for(UAI, environment)
    # THEN it is a MoodlePlatform on https://idf-77-3…, with the secret's token, built once
    assert isinstance(platform, MoodlePlatform)
    assert platform_for(UAI, environment) is platform
    school = school_platform(UAI, environment)
    assert (school.platform_id, school.url) == ("idf-77-3", "https://idf-77-3.elea.apps.education.fr/")
    web_service = _web_service(
        MoodleEndpoint(school.platform_id, school.url),
        environment.moodle_token_secret_prefix,
        environment.moodle_parallel_calls,
    )
    assert web_service.base_url.startswith("https://idf-77-3.elea.apps.education.fr")
    assert "jeton-77-3" not in repr(web_service)


def test_an_unregistered_school_has_no_platform_and_says_so_in_french(aws: None) -> None:
    with pytest.raises(EstablishmentNotRegistered) as refused:
        platform_for(UAI, settings("moodle"))
    assert "n'est pas inscrit" in refused.value.message


def test_a_local_moodle_url_sends_every_school_there_with_the_local_token(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELEA_MOODLE_TOKEN", "jeton-local")
    monkeypatch.delenv("ELEA_MOODLE_TOKEN_FILE", raising=False)
    environment = ApprovalSettings.from_environ(
        {**local_stack().environment(), "PLATFORM_TARGET": "moodle", "LOCAL_MOODLE_URL": "http://127.0.0.1:8045"}
    )
    # No registry entry needed, no secret read
    assert school_platform(UAI, environment).url == "http://127.0.0.1:8045"
    assert isinstance(platform_for(UAI, environment), MoodlePlatform)
