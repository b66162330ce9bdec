"""The operator commands with `--deployed`: real adapters, table names from the ELEA_* variables, AWS on moto.

The tables are created from template.yaml's definitions under names that are NOT the local stack's, so a
command that ignored the variables would find nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import boto3
import pytest
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from elea.dal.aws_clients import forget_clients
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.establishments.establishment import new_establishment
from elea.logic.staging_layout import report_keys
from elea.models.cohort_counts import CohortCounts
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.import_report import ImportReport
from elea.models.outcome_counts import OutcomeCounts
from elea.models.person import Profile
from elea.ports.platform import Account, AccountChange, AccountStatus
from elea_cli.main import main
from elea_local.cfn_template import LOCAL_REGION
from tests.integration.template_tables import create_template_table

UAI = "0771234Y"
PLATFORM_ID = "idf-77-3"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TABLES = {
    "ELEA_IMPORTS_TABLE": ("ImportsTable", "prod-imports"),
    "ELEA_PLATFORM_TABLE": ("PlatformTable", "prod-platform"),
    "ELEA_ESTABLISHMENTS_TABLE": ("EstablishmentsTable", "prod-establishments"),
    "ELEA_CREDENTIALS_TABLE": ("CredentialsTable", "prod-credentials"),
}
DEPLOYED_ENV = {
    **{variable: name for variable, (_, name) in TABLES.items()},
    "ELEA_IMPORT_BUCKET": "prod-import-bucket",
    "ELEA_PLATFORM_ID": PLATFORM_ID,
    "ELEA_MAIL_SENDER": "elea-import@ac-creteil.fr",
    "ELEA_MAIL_DOMAIN": "ac-creteil.fr",
    "ELEA_PLATFORM_URL_PATTERN": "https://idf-{dept}-{basin}.elea.apps.education.fr/",
    "ELEA_ACTIVATION_PAGE_URL": "https://elea-import.ac-creteil.fr/activation",
    # The cheapest argon2id the settings accept: the cost is the template's business, not this test's.
    "ELEA_ARGON2_TIME_COST": "1",
    "ELEA_ARGON2_MEMORY_KIB": "8",
    "ELEA_ARGON2_PARALLELISM": "1",
    # The school's platform (approve): the embedded one here.
    "ELEA_PLATFORM_TARGET": "dynamodb",
    "ELEA_MOODLE_ENT_AUTH": "cas",
    "ELEA_MOODLE_EMAIL_PLACEHOLDER": "{username}@{uai}.invalid",
    "ELEA_MOODLE_TOKEN_SECRET_PREFIX": "elea-import/moodle/",
    "ELEA_MOODLE_PARALLEL_CALLS": "2",
    "ELEA_MOODLE_ACCOUNT_CHECK_EVERY": "4",
}


@pytest.fixture
def deployed_stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in DEPLOYED_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", LOCAL_REGION)
    with mock_aws():
        forget_clients()
        dynamodb = boto3.client("dynamodb", region_name=LOCAL_REGION)
        for logical_id, name in TABLES.values():
            create_template_table(dynamodb, logical_id, name)
        boto3.client("s3", region_name=LOCAL_REGION).create_bucket(
            Bucket=DEPLOYED_ENV["ELEA_IMPORT_BUCKET"], CreateBucketConfiguration={"LocationConstraint": LOCAL_REGION}
        )
        boto3.client("ses", region_name=LOCAL_REGION).verify_email_identity(
            EmailAddress=DEPLOYED_ENV["ELEA_MAIL_SENDER"]
        )
        yield
        forget_clients()


def _recipients() -> list[list[str]]:
    return [sorted(set(raw.destinations)) for raw in ses_backends[DEFAULT_ACCOUNT_ID][LOCAL_REGION].sent_messages]


def _pupil(number: int) -> Account:
    return Account(
        username=f"eleve{number}", ent_id=f"ENT{number}", last_name="Nom", first_name="Prénom",
        profile=Profile.STUDENT,
    )  # fmt: skip


def _record(import_id: str, **fields: object) -> ImportRecord:
    values: dict[str, object] = {
        "import_id": import_id, "execution_id": "exec-1", "bucket": DEPLOYED_ENV["ELEA_IMPORT_BUCKET"],
        "upload_key": f"imports/{UAI}/export.csv", "file_name": "export.csv", "uai": UAI,
        "status": ImportStatus.COMPLETED, "started_at": NOW, "finished_at": NOW,
        "counts": OutcomeCounts(updated=10), "cohorts": CohortCounts(unchanged=2), "export_deleted": True,
    } | fields  # fmt: skip
    return ImportRecord.model_validate(values)


@pytest.mark.usefixtures("deployed_stack")
def test_establishment_add_registers_in_the_deployed_tables_and_mails_through_ses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # WHEN the académie registers a school against the deployed stack
    code = main(["establishment", "add", UAI, "--dept", "77", "--basin", "3", "--name", "Collège", "--deployed"])
    # THEN it is in the deployed registry and its mailbox got the activation e-mail from SES
    assert code == 0
    assert DynamoDbEstablishmentStore(DEPLOYED_ENV["ELEA_ESTABLISHMENTS_TABLE"]).get(UAI) is not None
    assert _recipients() == [["0771234y@ac-creteil.fr"]]
    assert "Courriel d'activation envoyé à 0771234y@ac-creteil.fr." in capsys.readouterr().out
    # AND the same data again is a no-op: nothing more is sent
    assert main(["establishment", "add", UAI, "--dept", "77", "--basin", "3", "--name", "Collège", "--deployed"]) == 0
    assert len(_recipients()) == 1


@pytest.mark.usefixtures("deployed_stack")
def test_approve_suspends_the_held_accounts_on_the_deployed_platform(capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN three accounts on the deployed platform, two of them held by an import
    platform = DynamoDbPlatform(DEPLOYED_ENV["ELEA_PLATFORM_TABLE"], PLATFORM_ID)
    platform.write_accounts(UAI, [AccountChange(before=None, after=_pupil(number)) for number in (1, 2, 3)])
    held = sorted(str(a.account_id) for a in platform.accounts(UAI) if a.username != "eleve3")
    imports = DynamoDbImportStore(DEPLOYED_ENV["ELEA_IMPORTS_TABLE"])
    imports.claim(_record("imp-held", held=held))
    # WHEN the operator approves against the deployed stack
    code = main(["approve", "imp-held", "--deployed"])
    # THEN exactly the held two are suspended and the hold is cleared
    assert code == 0
    # (suspended accounts are no school's any more: looked up by username)
    statuses = {a.username: a.status for a in platform.find_accounts(["eleve1", "eleve2", "eleve3"])}
    assert statuses == {
        "eleve1": AccountStatus.SUSPENDED,
        "eleve2": AccountStatus.SUSPENDED,
        "eleve3": AccountStatus.ACTIVE,
    }
    stored = imports.get("imp-held")
    assert stored is not None
    assert stored.held == []
    assert "2 comptes suspendus pour l'établissement 0771234Y" in capsys.readouterr().out


@pytest.mark.usefixtures("deployed_stack")
def test_report_resend_mails_the_report_to_the_schools_mailbox(capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a registered school and a completed import whose report is in the deployed bucket
    DynamoDbEstablishmentStore(DEPLOYED_ENV["ELEA_ESTABLISHMENTS_TABLE"]).put(
        new_establishment(uai=UAI, name="Collège", department="77", basin="3")
    )
    keys = report_keys(UAI, "imp-done")
    DynamoDbImportStore(DEPLOYED_ENV["ELEA_IMPORTS_TABLE"]).claim(_record("imp-done", report=keys))
    report = ImportReport(
        import_id="imp-done", uai=UAI, file_name="export.csv", format="ent-csv", status=ImportStatus.COMPLETED,
        started_at=NOW, finished_at=NOW, people_count=10, counts=OutcomeCounts(updated=10),
        cohorts=CohortCounts(unchanged=2), held=0, issues_total=0, issues=[],
    )  # fmt: skip
    boto3.client("s3", region_name=LOCAL_REGION).put_object(
        Bucket=DEPLOYED_ENV["ELEA_IMPORT_BUCKET"], Key=keys.json_key, Body=report.model_dump_json().encode()
    )
    # WHEN the operator resends its report
    code = main(["report", "resend", "imp-done", "--deployed"])
    # THEN SES sent it to the school's own mailbox
    assert code == 0
    assert _recipients() == [["0771234y@ac-creteil.fr"]]
    assert "renvoyé à 0771234y@ac-creteil.fr" in capsys.readouterr().out


def test_missing_deployment_variables_are_named_in_french_with_a_stable_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a shell where only some of the stack's Outputs were exported
    for name in DEPLOYED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ELEA_IMPORTS_TABLE", "prod-imports")
    # WHEN an operator command targets the deployed stack
    code = main(["approve", "imp-1", "--deployed"])
    # THEN it refuses before any AWS call, naming the missing variables and their Outputs
    err = capsys.readouterr().err
    assert code == 2
    assert "Code : deployment_settings_missing" in err
    assert "ELEA_PLATFORM_TABLE (sortie PlatformTableName)" in err
    assert "ELEA_MAIL_SENDER (sortie MailSender)" in err
    assert "ELEA_IMPORTS_TABLE" not in err
    assert "Outputs" in err


def test_deployed_and_state_dir_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    # WHEN both targets are given THEN argparse refuses the command line
    with pytest.raises(SystemExit) as refused:
        main(["report", "resend", "imp-1", "--deployed", "--state-dir", "elsewhere"])
    assert refused.value.code == 2
    assert "impossible avec l'argument" in capsys.readouterr().err


def test_an_invalid_deployment_value_is_refused_before_any_aws_call(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN every variable, but a platform URL pattern the académie settings refuse
    for name, value in DEPLOYED_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ELEA_PLATFORM_URL_PATTERN", "https://idf-{department}.elea.apps.education.fr/")
    # WHEN a deployed command starts THEN it stops with a stable code, not a traceback
    assert main(["establishment", "resend", UAI, "--deployed"]) == 2
    assert "Code : deployment_settings_invalid" in capsys.readouterr().err
