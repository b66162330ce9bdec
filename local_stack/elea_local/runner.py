"""`elea-import run` and `approve` on moto: the template's resources, state machine and handlers.

The export goes into the local bucket under imports/{UAI}/, and the runner starts the execution
with the event the EventBridge rule would deliver (moto does not deliver EventBridge events to a
Step Functions target). The platform's DynamoDB items persist under the state dir between runs.

With `moodle_url` (`--moodle URL`), PlatformTarget is moodle and every school of the run goes to that
Moodle, reached from the in-process handlers over the network (loopback for a local Moodle); the token
comes from ELEA_MOODLE_TOKEN or ELEA_MOODLE_TOKEN_FILE, never from an argument.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boto3.s3.transfer import TransferConfig
from moto import mock_aws

from elea.composition.approval import approve_import
from elea.config.step_settings import ApprovalSettings
from elea.credentials.publish_sheets import login_sheets_keys
from elea.dal.aws_clients import forget_clients
from elea.dal.dynamodb.import_store import DynamoDbImportStore
from elea.dal.s3.staging import S3StagingStore
from elea.domain.uai import is_valid_uai
from elea.errors import EleaError
from elea.logic.approve_held import Approval
from elea.logic.planned_import import cancel_planned_import
from elea.logic.record_plan import read_plan
from elea.logic.upload_key import file_name_of_key, upload_key
from elea.models.import_plan import ImportPlan
from elea.models.import_record import ImportRecord, ImportStatus
from elea.models.import_report import ImportReport
from elea.models.object_created import ObjectCreated
from elea.models.upload_flags import DRY_RUN_METADATA
from elea_local.api_calls import attach_to_default_session, counting_api_calls, runner_calls
from elea_local.auto_register import register_if_unknown
from elea_local.boto_sessions import local_session
from elea_local.cfn_template import (
    LOCAL_ACCOUNT,
    LOCAL_REGION,
    REPO_ROOT,
    LocalStackSpec,
    TemplateError,
    load_template,
    local_stack,
)
from elea_local.lambdas import InProcessLambdas, Interceptor, InvocationRecord, call_through
from elea_local.moto_seam import ExecutionCompletions, patched_moto, saved_item_reader, saved_item_writer
from elea_local.s3_event import matches_pattern, new_sequencer, object_created_event
from elea_local.saved_platform import table_key_schemas
from elea_local.sent_mail import sent_count, write_sent_mail
from elea_local.state_dir import LocalStateDir, checked_overrides

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_stepfunctions import SFNClient

# Set once per run, before any execution starts: Map iterations run on threads, which must all see
# the same environment (never set per invocation).
LOCAL_ENVIRONMENT = {
    "AWS_DEFAULT_REGION": LOCAL_REGION,
    "AWS_REGION": LOCAL_REGION,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    # Powertools v3: no EMF metrics on stdout and no X-Ray segments outside Lambda.
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
}
MOTO_CONFIG: Any = {"stepfunctions": {"execute_state_machine": True}}
# Where `elea-import serve` answers by default; the local activation e-mails link to its /activation.
LOCAL_SERVE_PORT = 8080
LOCAL_ACTIVATION_PAGE_URL = f"http://127.0.0.1:{LOCAL_SERVE_PORT}/activation"
# The runner's upload sends its 8 MB parts one after the other, on its own thread: with s3transfer's ten
# threads moto buffers parts on each, and a 16 MB export left ~60 MB behind in glibc's per-thread arenas.
_UPLOAD = TransferConfig(use_threads=False)
# A guard against a hung interpreter, not a timing assertion: a 3,000-people import takes seconds.
EXECUTION_DEADLINE_SECONDS = 600

Progress = Callable[[str, dict[str, Any]], None]


class LocalRunError(EleaError):
    code = "local_run_stalled"


@dataclass(frozen=True)
class LocalRunResult:
    import_id: str
    upload_key: str
    execution_statuses: list[str]
    record: ImportRecord | None
    report: ImportReport | None
    report_files: list[Path]
    upload_still_present: bool
    # Whatever is left under imports/ and staging/ once the execution ended (should be nothing).
    leftover_keys: list[str] = field(default_factory=list)
    invocations: list[InvocationRecord] = field(default_factory=list)
    # Issue 4: the UAI was not registered and was registered for this run (with a warning);
    # every e-mail SES accepted during the run, written as .eml under the state dir.
    registered_establishment: bool = False
    mails: list[Path] = field(default_factory=list)
    # « Aperçu » (--dry-run): what the import would do; nothing was written.
    plan: ImportPlan | None = None

    @property
    def status(self) -> ImportStatus | None:
        return None if self.record is None else self.record.status

    @property
    def export_deleted(self) -> bool:
        return self.record is not None and self.record.export_deleted and not self.upload_still_present


@dataclass
class _LocalAws:
    stack: LocalStackSpec
    s3: S3Client
    dynamodb: DynamoDBClient
    sfn: SFNClient
    completions: ExecutionCompletions
    lambdas: InProcessLambdas
    state_machine_arn: str = ""
    # Set by commands that write the platform themselves (approve): every table is saved then.
    runner_wrote: bool = False
    # The .eml files of the e-mails sent during this session (written when it closes).
    mails: list[Path] = field(default_factory=list)
    # How many of the session's e-mails were already written (serve writes them after each import).
    mails_written: int = 0

    def table(self, logical_id: str) -> str:
        return self.stack.tables[logical_id].name

    def table_names(self) -> dict[str, str]:
        return {logical_id: spec.name for logical_id, spec in self.stack.tables.items()}

    def key_schemas(self) -> dict[str, dict[str, str]]:
        return table_key_schemas(self.stack.tables)


class LocalChain:
    """One local platform (a state dir) on which exports are imported as in production."""

    def __init__(
        self,
        state_dir: Path,
        *,
        parameter_overrides: dict[str, str] | None = None,
        interceptor: Interceptor = call_through,
        progress: Progress | None = None,
        root: Path = REPO_ROOT,
        moodle_url: str | None = None,
    ) -> None:
        self.state = LocalStateDir(state_dir)
        self.moodle_url = None if moodle_url is None else _checked_moodle(moodle_url)
        # The state dir is one local platform: its parameters.json plays `--parameter-overrides`
        # (ImportedProfiles, HoldMinAccounts…); the caller's overrides (tests, bench) come on top.
        template = load_template(root / "template.yaml")
        declared = template.get("Parameters", {})
        saved = self.state.parameter_overrides(declared)
        given = checked_overrides(parameter_overrides or {}, declared, "--param")
        target = {} if self.moodle_url is None else {"PlatformTarget": "moodle"}
        # Locally the activation link leads to `elea-import serve`'s /activation (the e-mails are .eml files).
        local = {"ActivationPageUrl": LOCAL_ACTIVATION_PAGE_URL}
        self.stack = local_stack(template, parameter_overrides={**local, **saved, **given, **target}, root=root)
        self._interceptor = interceptor
        self._progress = progress

    # ------------------------------------------------------------------------------------------
    def run_file(
        self, path: Path, uai: str, *, deliveries: int = 1, basin: str | None = None, dry_run: bool = False
    ) -> LocalRunResult:
        """Drops the file under imports/{uai}/ and runs the chain; `deliveries` > 1 delivers the same
        event again, concurrently, as EventBridge may. An unregistered UAI is registered in `basin`
        first, or refused (EstablishmentNotRegistered) when no basin is given."""
        with self._local_aws() as aws:
            # The operator's registration of the school (`establishment add` on AWS), before the chain:
            # through the handlers' default session, but not one of the chain's calls.
            with runner_calls():
                registered = (
                    register_if_unknown(uai, basin=basin, state_dir=self.state.root) is not None
                    if is_valid_uai(uai)
                    else False
                )
            key = upload_key(uai, path.name)
            # The flag the web page's presigned POST sets (x-amz-meta-dry-run) for an « Aperçu ».
            extra: Any = {"Metadata": {DRY_RUN_METADATA: "true"}} if dry_run else None
            aws.s3.upload_file(str(path), aws.stack.bucket_name, key, ExtraArgs=extra, Config=_UPLOAD)
            head = aws.s3.head_object(Bucket=aws.stack.bucket_name, Key=key)
            event = object_created_event(
                aws.stack.bucket_name,
                key,
                size=int(head["ContentLength"]),
                etag=str(head["ETag"]).strip('"'),
                sequencer=new_sequencer(),
            )
            statuses = self._deliver(aws, event, deliveries=deliveries)
            if dry_run:
                # The local bucket lives as long as this command: the plan's export cannot wait for a
                # decision here. It is cancelled (deleted) at once; running again without --dry-run applies.
                self._cancel_plan(aws, event, uai)
            result = self._collect(aws, event, statuses)
        return replace(result, registered_establishment=registered, mails=aws.mails)

    def run_files_at_once(self, paths: list[Path], uai: str) -> list[LocalRunResult]:
        """Drops several files for one school and starts their imports together (tests: a school dropping
        a corrected file while the first one runs); results in the order of `paths`."""
        with self._local_aws() as aws:
            events = []
            for path in paths:
                key = upload_key(uai, path.name)
                aws.s3.upload_file(str(path), aws.stack.bucket_name, key, Config=_UPLOAD)
                head = aws.s3.head_object(Bucket=aws.stack.bucket_name, Key=key)
                size, etag = int(head["ContentLength"]), str(head["ETag"]).strip('"')
                events.append(
                    object_created_event(aws.stack.bucket_name, key, size=size, etag=etag, sequencer=new_sequencer())
                )
            arns = [self._start(aws, event) for event in events]
            statuses = [self._wait(aws, arn) for arn in arns]
            results = [self._collect(aws, event, [status]) for event, status in zip(events, statuses, strict=True)]
        return [replace(result, mails=aws.mails) for result in results]

    @staticmethod
    def _cancel_plan(aws: _LocalAws, event: dict[str, Any], uai: str) -> None:
        imports = DynamoDbImportStore(aws.table("ImportsTable"), client=aws.dynamodb)
        record = imports.get(ObjectCreated.model_validate(event).import_id())
        if record is not None and record.status is ImportStatus.AWAITING_DECISION:
            store = S3StagingStore(aws.stack.bucket_name, client=aws.s3)
            cancel_planned_import(record.import_id, uai, store=store, imports=imports, now=lambda: datetime.now(UTC))
            aws.runner_wrote = True

    def run_event(self, event: dict[str, Any], body: bytes | None = None) -> LocalRunResult:
        """Runs the chain for a given event (tests: keys no manager would type), after putting
        `body` at its key when given."""
        with self._local_aws() as aws:
            if body is not None:
                aws.s3.put_object(Bucket=aws.stack.bucket_name, Key=event["detail"]["object"]["key"], Body=body)
            statuses = self._deliver(aws, event, deliveries=1)
            result = self._collect(aws, event, statuses)
        return replace(result, mails=aws.mails)

    @contextmanager
    def session(self) -> Iterator[_LocalAws]:
        """The local AWS of this state dir for commands other than a run (establishments, activation,
        login, report resend): every table is saved when it closes. stdout goes to the log meanwhile:
        print after it closes."""
        with self._local_aws() as aws:
            aws.runner_wrote = True
            yield aws

    def start_uploaded(self, aws: _LocalAws, key: str) -> str:
        """`serve`: an object just landed under imports/ (the page's presigned POST): start the chain
        with the event the EventBridge rule would deliver, and return the execution's ARN."""
        head = aws.s3.head_object(Bucket=aws.stack.bucket_name, Key=key)
        event = object_created_event(
            aws.stack.bucket_name,
            key,
            size=int(head["ContentLength"]),
            etag=str(head["ETag"]).strip('"'),
            sequencer=new_sequencer(),
        )
        if not matches_pattern(aws.stack.rule_pattern, event):
            raise TemplateError("the template's EventBridge rule would not deliver this event")
        return aws.sfn.start_execution(
            stateMachineArn=aws.state_machine_arn, name=f"import-{uuid.uuid4().hex}", input=json.dumps(event)
        )["executionArn"]

    def finish_started(self, aws: _LocalAws, arn: str) -> str:
        """Waits for an execution `start_uploaded` began, then saves the platform and writes the e-mails
        and report files into the state dir, as a `run` does at its end. Returns the final status."""
        if not aws.completions.event_for(arn).wait(EXECUTION_DEADLINE_SECONDS):
            raise LocalRunError(
                f"L'exécution locale {arn} ne s'est pas terminée.",
                hint="Consultez le journal technique (logs/elea-import.log) dans le dossier d'état.",
            )
        status = aws.sfn.describe_execution(executionArn=arn)["status"]
        self.state.copy_reports(aws.s3, aws.stack.bucket_name, "reports/")
        aws.mails += write_sent_mail(self.state.mail_dir, already_written=aws.mails_written)
        aws.mails_written = sent_count()
        self.state.save_tables(aws.table_names(), read_items=saved_item_reader(LOCAL_REGION))
        return status

    def approve(self, import_id: str) -> Approval:
        with self._local_aws() as aws:
            aws.runner_wrote = True
            # The same wiring as `approve --deployed`: only the environment (table names) differs.
            return approve_import(import_id, ApprovalSettings.from_environ(self.function_environment()))

    def function_environment(self) -> dict[str, str]:
        """What the functions read: the template's environment, and locally where `--moodle` points."""
        local = {} if self.moodle_url is None else {"LOCAL_MOODLE_URL": self.moodle_url}
        return {**self.stack.environment(), **local}

    def _deliver(self, aws: _LocalAws, event: dict[str, Any], *, deliveries: int) -> list[str]:
        arns = [self._start(aws, event) for _ in range(deliveries)]
        return [self._wait(aws, arn) for arn in arns]

    def _start(self, aws: _LocalAws, event: dict[str, Any]) -> str:
        if not matches_pattern(aws.stack.rule_pattern, event):
            raise TemplateError("the template's EventBridge rule would not deliver this event")
        return aws.sfn.start_execution(
            stateMachineArn=aws.state_machine_arn, name=f"import-{uuid.uuid4().hex}", input=json.dumps(event)
        )["executionArn"]

    def _wait(self, aws: _LocalAws, arn: str) -> str:
        if not aws.completions.event_for(arn).wait(EXECUTION_DEADLINE_SECONDS):
            raise LocalRunError(
                f"L'exécution locale {arn} ne s'est pas terminée.",
                hint="Consultez le journal technique (logs/elea-import.log) dans le dossier d'état.",
            )
        return aws.sfn.describe_execution(executionArn=arn)["status"]

    # ------------------------------------------------------------------------------------------
    def _collect(self, aws: _LocalAws, event: dict[str, Any], statuses: list[str]) -> LocalRunResult:
        created = ObjectCreated.model_validate(event)
        import_id = created.import_id()
        record = DynamoDbImportStore(aws.table("ImportsTable"), client=aws.dynamodb).get(import_id)
        report = None
        plan = None
        files: list[Path] = []
        if record is not None and record.plan_key is not None:
            plan = read_plan(S3StagingStore(aws.stack.bucket_name, client=aws.s3), record.plan_key)
            folder = record.plan_key.removesuffix(file_name_of_key(record.plan_key))
            files = self.state.copy_reports(aws.s3, aws.stack.bucket_name, folder)
        if record is not None and record.report is not None:
            body = aws.s3.get_object(Bucket=aws.stack.bucket_name, Key=record.report.json_key)["Body"].read()
            report = ImportReport.model_validate_json(body)
            folder = record.report.json_key.removesuffix(file_name_of_key(record.report.json_key))
            files = self.state.copy_reports(aws.s3, aws.stack.bucket_name, folder)
            # The login sheets live under their own prefix (short retention): shown beside the report.
            sheets_folder = login_sheets_keys(record.uai or "", import_id)[0].rpartition("/")[0] + "/"
            files += self.state.copy_reports(aws.s3, aws.stack.bucket_name, sheets_folder)
        leftovers = [
            item["Key"]
            for prefix in ("imports/", "staging/")
            for item in aws.s3.list_objects_v2(Bucket=aws.stack.bucket_name, Prefix=prefix).get("Contents", [])
        ]
        return LocalRunResult(
            import_id=import_id,
            upload_key=created.key,
            execution_statuses=statuses,
            record=record,
            report=report,
            report_files=files,
            upload_still_present=created.key in leftovers,
            leftover_keys=sorted(leftovers),
            invocations=list(aws.lambdas.records),
            plan=plan,
        )

    @contextmanager
    def _local_aws(self) -> Iterator[_LocalAws]:
        with ExitStack() as stack:
            stack.enter_context(self.state.opened())
            stack.enter_context(_environment({**self.function_environment(), **LOCAL_ENVIRONMENT}))
            if self.moodle_url is not None:
                stack.enter_context(_instant_moodle_backoff())
            stack.enter_context(mock_aws(config=MOTO_CONFIG))
            stack.enter_context(_output_to(self.state.log_file))
            forget_clients()  # the handlers' clients are rebuilt inside the mock, in its region
            stack.callback(forget_clients)
            completions = ExecutionCompletions()
            lambdas = InProcessLambdas(self.stack, interceptor=self._interceptor, on_result=self._on_result)
            stack.enter_context(patched_moto(lambdas.invoke, completions))
            # The runner's own calls use their own session: they are not counted as the chain's.
            session = local_session(LOCAL_REGION)
            aws = _LocalAws(
                stack=self.stack,
                s3=session.client("s3"),
                dynamodb=session.client("dynamodb"),
                sfn=session.client("stepfunctions"),
                completions=completions,
                lambdas=lambdas,
            )
            _create_resources(aws)
            self.state.load_tables(saved_item_writer(LOCAL_REGION), aws.table_names(), aws.key_schemas())
            with counting_api_calls() as chain_calls:
                attach_to_default_session()
                yield aws
            aws.mails += write_sent_mail(self.state.mail_dir, already_written=aws.mails_written)
            # Scanning a big table back out of moto costs seconds: a table the chain did not write
            # (every handler writes through the default session, which is counted) keeps its saved items.
            written = None if aws.runner_wrote else set(chain_calls.dynamodb_writes_by_table)
            self.state.save_tables(aws.table_names(), written=written, read_items=saved_item_reader(LOCAL_REGION))

    def _on_result(self, function: str, answer: dict[str, Any]) -> None:
        if self._progress is not None:
            self._progress(function, answer)


def _create_resources(aws: _LocalAws) -> None:
    location: Any = {"LocationConstraint": LOCAL_REGION}
    aws.s3.create_bucket(Bucket=aws.stack.bucket_name, CreateBucketConfiguration=location)
    # The sender the template names, verified as it must be in SES before anything is sent.
    session = local_session(LOCAL_REGION)
    session.client("ses").verify_email_identity(EmailAddress=aws.stack.environment()["MAIL_SENDER"])
    for spec in aws.stack.tables.values():
        properties = spec.properties
        arguments: Any = {
            "TableName": spec.name,
            "KeySchema": properties["KeySchema"],
            "AttributeDefinitions": properties["AttributeDefinitions"],
            "BillingMode": properties.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if "GlobalSecondaryIndexes" in properties:
            arguments["GlobalSecondaryIndexes"] = properties["GlobalSecondaryIndexes"]
        aws.dynamodb.create_table(**arguments)
    aws.state_machine_arn = aws.sfn.create_state_machine(
        name=aws.stack.state_machine_name,
        definition=aws.stack.definition,
        roleArn=f"arn:aws:iam::{LOCAL_ACCOUNT}:role/{aws.stack.state_machine_name}-role",
        type="STANDARD",
    )["stateMachineArn"]


def _checked_moodle(url: str) -> str:
    """Refuses a bad URL or a missing token before anything runs (French message, no traceback)."""
    from elea.dal.moodle.base_url import checked_base_url
    from elea.dal.moodle.token_source import local_token

    checked = checked_base_url(url)
    local_token()
    return checked


@contextmanager
def _instant_moodle_backoff() -> Iterator[None]:
    """The Moodle client's back-off never sleeps in a local run, as the state machine's Retry waits don't."""
    from elea.composition.moodle import set_backoff_sleep

    previous = set_backoff_sleep(lambda seconds: None)
    try:
        yield
    finally:
        set_backoff_sleep(previous)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    previous = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _output_to(path: Path) -> Iterator[None]:
    """While the chain runs, what the handlers and moto write (Powertools JSON logs, EMF metrics,
    warnings) goes to the state dir's log file: the terminal shows only the runner's progress and
    report, which the CLI writes to the streams it held before the run."""
    from elea.observability import logger

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logger.registered_handler
    with path.open("a", encoding="utf-8") as stream, redirect_stdout(stream), redirect_stderr(stream):
        # Powertools' handler holds the stream it was built with (maybe closed since, under pytest):
        # point it at the log without flushing the old one.
        streams = handler if isinstance(handler, logging.StreamHandler) else None
        previous = None if streams is None else streams.stream
        if streams is not None:
            streams.stream = stream
        moto_logs = logging.StreamHandler(stream)
        # Powertools' logger propagates to the root: without this its lines would come twice, the
        # second time as bare text. Its own handler already wrote them, as JSON.
        moto_logs.addFilter(_NotFrom(logger.name))
        logging.getLogger().addHandler(moto_logs)
        try:
            yield
        finally:
            logging.getLogger().removeHandler(moto_logs)
            if streams is not None:
                streams.stream = previous if previous is not None and not previous.closed else sys.stdout


class _NotFrom(logging.Filter):
    """Drops the records of one logger and its children (logging.Filter keeps only those)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not super().filter(record)
