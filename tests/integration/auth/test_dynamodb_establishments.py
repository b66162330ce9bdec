from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.errors import PlatformError
from elea.establishments.establishment import new_establishment
from tests.integration.template_tables import create_template_table

SCHOOL = new_establishment(uai="0771234Y", name="Collège Jean Moulin", department="77", basin="3")


@mock_aws
def test_an_establishment_is_stored_and_read_back() -> None:
    client = boto3.client("dynamodb", region_name="eu-west-3")
    create_template_table(client, "EstablishmentsTable", "establishments")
    store = DynamoDbEstablishmentStore("establishments", client=client)
    assert store.get(SCHOOL.uai) is None
    store.put(SCHOOL)
    store.put(SCHOOL)
    assert store.get(SCHOOL.uai) == SCHOOL


@mock_aws
def test_a_storage_failure_becomes_a_platform_error_in_french() -> None:
    client = boto3.client("dynamodb", region_name="eu-west-3", config=Config(retries={"max_attempts": 1}))
    # GIVEN no table WHEN reading THEN the ClientError does not leak
    with pytest.raises(PlatformError, match="Le stockage n'a pas répondu") as caught:
        DynamoDbEstablishmentStore("missing", client=client).get(SCHOOL.uai)
    assert "ResourceNotFoundException" in caught.value.message
