from __future__ import annotations

import boto3
from moto import mock_aws

from elea.dal.dynamodb.user_passwords import DynamoDbUserPasswordStore
from tests.integration.template_tables import create_template_table


@mock_aws
def test_hashes_are_written_in_batches_and_listed_per_uai() -> None:
    client = boto3.client("dynamodb", region_name="eu-west-3")
    create_template_table(client, "CredentialsTable", "credentials")
    store = DynamoDbUserPasswordStore("credentials", client=client)
    # GIVEN 60 accounts (three batches) in one school and one in another
    store.put_hashes("0771234Y", {f"user{i}": f"$argon2id$h{i}" for i in range(60)})
    store.put_hashes("0930001W", {"other": "$argon2id$x"})
    store.put_hashes("0771234Y", {"user0": "$argon2id$new"})
    assert store.usernames_with_password("0771234Y") == {f"user{i}" for i in range(60)}
    assert store.usernames_with_password("0930001W") == {"other"}
    assert store.usernames_with_password("0750001U") == set()
