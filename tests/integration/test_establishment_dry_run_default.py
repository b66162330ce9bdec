"""The per-school « Aperçu » setting lives on the establishment record (issue 8, item 6)."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.establishments.establishment import new_establishment
from elea_cli.main import main
from tests.integration.template_tables import create_template_table

SCHOOL = new_establishment(uai="0771234Y", name="Collège Jean Moulin", department="77", basin="3")


@mock_aws
def test_the_setting_is_stored_and_a_record_without_it_reads_as_automatic() -> None:
    # GIVEN the template's table
    client = boto3.client("dynamodb", region_name="eu-west-3")
    create_template_table(client, "EstablishmentsTable", "establishments")
    store = DynamoDbEstablishmentStore("establishments", client=client)
    # WHEN a school with the setting is stored THEN it reads back with it
    store.put(SCHOOL.model_copy(update={"dry_run_default": True}))
    stored = store.get(SCHOOL.uai)
    assert stored is not None
    assert stored.dry_run_default
    # AND a record written before the setting existed is the procedure's automatic import
    client.put_item(
        TableName="establishments",
        Item={k: {"S": v} for k, v in {"pk": "ESTABLISHMENT#0750654D", "uai": "0750654D", "name": "Lycée",
                                         "department": "75", "basin": "1"}.items()},
    )  # fmt: skip
    old = store.get("0750654D")
    assert old is not None
    assert not old.dry_run_default


def test_establishment_add_sets_it_on_purpose(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["establishment", "add", SCHOOL.uai, "--dept", "77", "--basin", "3", "--name", "Collège"]
    assert main([*argv, "--dry-run-default", "--state-dir", str(tmp_path)]) == 0
    assert "0771234Y" in capsys.readouterr().out
    # Set again without it: back to automatic, reported as a change, no second activation e-mail
    assert main([*argv, "--state-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "dry_run_default" in out
    assert "Courriel d'activation envoyé" not in out
