"""The web function's handler on moto, with API Gateway HTTP API v2 events (tests/events/http_web_*.json):
two registered, activated schools, and helpers to call the API as each one's page would."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from elea.auth.activate import activate_account
from elea.config.web_settings import WebSettings
from elea.dal.aws_clients import forget_clients
from elea.dal.dynamodb.credentials import DynamoDbCredentialStore
from elea.dal.dynamodb.establishments import DynamoDbEstablishmentStore
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.dynamodb.platform import DynamoDbPlatform
from elea.establishments.establishment import new_establishment
from elea.establishments.register import register_establishment
from elea.establishments.services import RegistryServices
from elea.models.import_record import ImportRecord, ImportStatus, ReportKeys
from elea_local.cfn_template import LOCAL_REGION, local_stack
from elea_local.lambdas import LocalLambdaContext, load_handler
from tests.fakes.memory_mailer import InMemoryMailer
from tests.integration.template_tables import create_template_table

EVENTS = Path(__file__).resolve().parents[2] / "events"
SCHOOL_A = "0771234Y"
SCHOOL_B = "0751234J"
PENDING = "0930001W"
PLATFORM_ID = "idf-77-3"
GOOD = "Nouveau-Mot2passe"
CHEAP_ARGON2 = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "8", "ARGON2_PARALLELISM": "1"}
TABLES = ("EstablishmentsTable", "CredentialsTable", "PlatformTable", "ImportsTable", "SessionsTable")


def _event(sample: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / sample).read_text(encoding="utf-8"))
    return copy.deepcopy(event)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class Page:
    """One browser: its session cookie and CSRF token once logged in."""

    web: WebApi
    cookie: str | None = None
    csrf: str | None = None

    def log_in(self, uai: str, password: str = GOOD) -> Answer:
        event = _event("http_web_session.json")
        event["body"] = json.dumps({"username": uai, "password": password})
        answer = self.web.call(event)
        if answer.status == 200:
            found = re.match(r"__Host-elea_session=([^;]+)", answer.cookies[0])
            assert found
            self.cookie = found.group(1)
            self.csrf = answer.json()["csrf_token"]
        return answer

    def get(self, path: str) -> Answer:
        event = _event("http_web_get.json")
        path, _, query = path.partition("?")
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
        if query:
            event["rawQueryString"] = query
            event["queryStringParameters"] = dict(item.partition("=")[::2] for item in query.split("&"))
        if self.cookie is None:
            event.pop("cookies")
        else:
            event["cookies"] = [f"__Host-elea_session={self.cookie}"]
        return self.web.call(event)

    def post(self, path: str, body: dict[str, Any] | None = None, *, csrf: str | bool | None = True) -> Answer:
        event = _event("http_web_post.json")
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
        event["body"] = json.dumps(body or {})
        if self.cookie is None:
            event.pop("cookies")
        else:
            event["cookies"] = [f"__Host-elea_session={self.cookie}"]
        if csrf is True:
            event["headers"]["x-csrf-token"] = self.csrf or ""
        elif csrf is False or csrf is None:
            event["headers"].pop("x-csrf-token")
        else:
            event["headers"]["x-csrf-token"] = csrf
        return self.web.call(event)


@dataclass
class WebApi:
    settings: WebSettings
    dynamodb: Any
    s3: Any
    bucket: str
    initial_passwords: dict[str, str] = field(default_factory=dict)

    def call(self, event: dict[str, Any]) -> Answer:
        handler = load_handler(local_stack().functions["WebFunction"])
        answer = json.loads(json.dumps(handler(event, LocalLambdaContext("WebFunction", "arn:WebFunction"))))
        return Answer(
            status=answer["statusCode"],
            headers=answer.get("headers") or {},
            cookies=answer.get("cookies") or [],
            text=answer.get("body") or "",
        )

    def page(self) -> Page:
        return Page(self)

    @property
    def imports(self) -> DynamoDbImportStore:
        return DynamoDbImportStore(self.settings.imports_table, client=self.dynamodb)

    @property
    def platform(self) -> DynamoDbPlatform:
        return DynamoDbPlatform(self.settings.platform_table, PLATFORM_ID, client=self.dynamodb)

    def completed_import(self, uai: str, import_id: str, *, held: list[str] | None = None) -> ImportRecord:
        """A finished import of `uai` with its report files in the bucket, as the report step leaves them."""
        keys = ReportKeys(
            json_key=f"reports/{uai}/{import_id}/report.json", csv_key=f"reports/{uai}/{import_id}/report.csv"
        )
        started = datetime(2026, 9, 1, 8, tzinfo=UTC)
        record = ImportRecord(
            import_id=import_id,
            execution_id=f"exec-{import_id}",
            bucket=self.bucket,
            upload_key=f"imports/{uai}/export.csv",
            file_name="export.csv",
            uai=uai,
            status=ImportStatus.RUNNING,
            started_at=started,
        )
        self.imports.claim(record)
        final = record.model_copy(
            update={"status": ImportStatus.COMPLETED, "report": keys, "people_count": 2, "held": held or []}
        )
        self.imports.save(final)
        report = {
            "import_id": import_id,
            "uai": uai,
            "file_name": "export.csv",
            "format": "ent_csv",
            "status": "completed",
            "started_at": started.isoformat(),
            "finished_at": started.isoformat(),
            "people_count": 2,
            "counts": {"created": 2},
            "cohorts": {"created": 1},
            "held": len(held or []),
            "held_people": [
                {"id": f"ent-{account}", "last_name": "Martin", "first_name": "Léa", "class_name": "3A"}
                for account in held or []
            ],
            "issues": [],
            "issues_total": 0,
            "rows": [
                {
                    "line": 2,
                    "id": "p1",
                    "profile": "student",
                    "changed_fields": [],
                    "message": "",
                    "last_name": f"Nom-{uai}",
                    "first_name": "Léa",
                    "class_name": "3A",
                    "outcome": "created",
                }
            ],
        }
        self.s3.put_object(Bucket=self.bucket, Key=keys.json_key, Body=json.dumps(report).encode())
        self.s3.put_object(
            Bucket=self.bucket, Key=keys.csv_key or "", Body=f"Ligne;Id;Nom\r\n2;p1;Nom-{uai}\r\n".encode()
        )
        return final


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebApi]:
    stack = local_stack()
    for name, value in {**stack.environment(), **CHEAP_ARGON2}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", LOCAL_REGION)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.delenv("UPLOAD_ENDPOINT_URL", raising=False)
    with mock_aws():
        forget_clients()
        dynamodb = boto3.client("dynamodb", region_name=LOCAL_REGION)
        s3 = boto3.client("s3", region_name=LOCAL_REGION)
        for table in TABLES:
            create_template_table(dynamodb, table)
        s3.create_bucket(Bucket=stack.bucket_name, CreateBucketConfiguration={"LocationConstraint": LOCAL_REGION})
        settings = WebSettings.from_environ()
        api = WebApi(settings=settings, dynamodb=dynamodb, s3=s3, bucket=stack.bucket_name)
        mailer = InMemoryMailer()
        registry = RegistryServices(
            establishments=DynamoDbEstablishmentStore(settings.establishments_table, client=dynamodb),
            credentials=DynamoDbCredentialStore(settings.credentials_table, client=dynamodb),
            platforms=lambda _: api.platform,
            mailer=mailer,
            academy=settings.academy(),
            hashing=settings.hashing(),
        )
        for uai, name in ((SCHOOL_A, "Collège Jean Moulin"), (SCHOOL_B, "Lycée Voltaire"), (PENDING, "Collège Neuf")):
            register_establishment(new_establishment(uai=uai, name=name, department="77", basin="3"), registry)
            text = mailer.sent[-1].text
            token = re.search(r"#token=([\w-]+)", text)
            password = re.search(r"Mot de passe initial : (\S+)", text)
            assert token
            assert password
            api.initial_passwords[uai] = password.group(1)
            if uai != PENDING:
                from elea.composition.web import web_services

                activate_account(token.group(1), GOOD, web_services(settings).auth)
        yield api
        forget_clients()
