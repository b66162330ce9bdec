"""The local runner plugs into private parts of moto's Step Functions interpreter. If moto moves
them (a new version, a refactor), these tests fail with a message saying what moved, instead of
`elea-import run` silently calling Docker, sleeping through retries, or never finishing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from elea_local.lambdas import lambda_service_exception
from elea_local.moto_seam import (
    EXPECTED_MOTO_VERSION,
    MOTO_LOCK,
    ExecutionCompletions,
    MotoSeamMoved,
    check_seams,
    moto_transactions_journaled,
    patched_moto,
    saved_item_reader,
    saved_item_writer,
)

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
REGION = "eu-west-3"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:123456789012:function:seam-probe"
# Long enough to hang the test (up to the deadline below) if retries really slept.
HOUR = 3600


def test_moto_is_the_version_the_seams_were_read_in() -> None:
    pinned = re.search(r"moto\[[^\]]*\]==([0-9.]+)", PYPROJECT.read_text(encoding="utf-8"))
    assert pinned is not None, "pyproject.toml must pin moto exactly (moto[...]==X.Y.Z)"
    assert moto.__version__ == pinned.group(1) == EXPECTED_MOTO_VERSION, (
        f"moto {moto.__version__} installed, {pinned.group(1)} pinned, seams read in {EXPECTED_MOTO_VERSION}: "
        "re-read local_stack/elea_local/moto_seam.py against the new moto before changing any of them"
    )


def test_the_seams_are_where_the_runner_expects_them() -> None:
    try:
        check_seams()
    except MotoSeamMoved as moved:  # pragma: no cover - only when moto changes
        pytest.fail(f"LOCAL RUNNER SEAM MOVED: {moved}")


def _machine(resource_style: str) -> str:
    task: dict[str, Any]
    if resource_style == "integration":
        parameters = {"FunctionName": FUNCTION_ARN, "Payload.$": "$"}
        task = {"Resource": "arn:aws:states:::lambda:invoke", "Parameters": parameters}
        selector = {"ResultSelector": {"answer.$": "$.Payload.answer"}}
    else:
        task, selector = {"Resource": FUNCTION_ARN}, {}
    return json.dumps(
        {
            "StartAt": "Probe",
            "States": {
                "Probe": {
                    "Type": "Task",
                    **task,
                    **selector,
                    "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": HOUR, "MaxAttempts": 2}],
                    "End": True,
                }
            },
        }
    )


@pytest.mark.parametrize("resource_style", ["integration", "bare-arn"])
def test_invokes_run_in_process_retries_do_not_sleep_and_the_end_is_signalled(resource_style: str) -> None:
    # GIVEN a Lambda task whose first invoke fails with a Lambda service error and a one-hour retry interval
    calls: list[dict[str, Any]] = []
    lock = threading.Lock()

    def invoke(parameters: dict[str, Any]) -> dict[str, Any]:
        with lock:
            calls.append(parameters)
            first = len(calls) == 1
        assert parameters["FunctionName"] == FUNCTION_ARN
        if first and resource_style == "integration":
            raise lambda_service_exception()
        if first:
            failed = {"errorType": "Lambda.ServiceException"}
            return {"StatusCode": 200, "FunctionError": "Unhandled", "Payload": failed}
        return {"StatusCode": 200, "Payload": {"answer": json.loads(parameters["Payload"])["question"] * 2}}

    completions = ExecutionCompletions()
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}), patched_moto(invoke, completions):
        sfn = boto3.client("stepfunctions", region_name=REGION)
        arn = sfn.create_state_machine(
            name="seam-probe", definition=_machine(resource_style), roleArn="arn:aws:iam::123456789012:role/probe"
        )["stateMachineArn"]
        execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"question": 21}))["executionArn"]
        # WHEN the execution runs; the deadline only guards against a hang (a real sleep would hit it)
        finished = completions.event_for(execution).wait(60)
        described = sfn.describe_execution(executionArn=execution)

    # THEN the end was signalled, the retry went through our invoke, and nothing went to Docker
    assert finished, "LOCAL RUNNER SEAM MOVED: retries slept or the completion signal never came"
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"answer": 42}
    assert len(calls) == 2


def test_the_patches_are_removed_after_a_run() -> None:
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    original_invoke = lambda_eval_utils._invoke_lambda_function
    original_parse = AmazonStateLanguageParser.__dict__["parse"]
    with patched_moto(lambda parameters: {}, ExecutionCompletions()):
        assert lambda_eval_utils._invoke_lambda_function is not original_invoke
        assert AmazonStateLanguageParser.__dict__["parse"] is not original_parse
    assert lambda_eval_utils._invoke_lambda_function is original_invoke
    assert retrier_decl.time.sleep.__module__ == "time"
    assert AmazonStateLanguageParser.__dict__["parse"] is original_parse


def test_saved_items_put_into_the_backend_are_what_the_api_reads() -> None:
    # GIVEN a moto table and the runner's direct writer into moto's backend
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName="probe",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        item = {"pk": {"S": "UAI#0771234Y"}, "sk": {"S": "ACCOUNT#1"}, "cohorts": {"SS": ["a", "b"]}, "n": {"N": "3"}}
        # WHEN a saved item is put through it
        saved_item_writer(REGION)("probe", item)
        # THEN the API reads back exactly that item
        read = client.get_item(TableName="probe", Key={"pk": item["pk"], "sk": item["sk"]})["Item"]
        assert read == item


def test_items_read_straight_from_the_backend_are_what_a_scan_returns() -> None:
    # GIVEN a moto table holding items of every attribute type the chain writes
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName="probe",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        items = [
            {"pk": {"S": "a"}, "cohorts": {"L": [{"S": "0771234Y$6A"}]}, "protected": {"BOOL": False}},
            {"pk": {"S": "b"}, "n": {"N": "3"}, "names": {"SS": ["x", "y"]}, "doc": {"M": {"k": {"S": "v"}}}},
        ]
        for item in items:
            client.put_item(TableName="probe", Item=item)
        # WHEN the state save reads them through the backend THEN they are the Scan's items
        scanned = client.scan(TableName="probe")["Items"]
        key = lambda item: item["pk"]["S"]  # noqa: E731
        assert sorted(saved_item_reader(REGION)("probe"), key=key) == sorted(scanned, key=key)


def test_every_in_process_call_reaches_moto_one_at_a_time() -> None:
    # GIVEN a moto table, and a probe inside moto's DynamoDB backend noting whether the lock is held
    from moto.dynamodb.models import DynamoDBBackend

    held: list[bool] = []
    original_query = DynamoDBBackend.query

    def probing_query(self: Any, *args: Any, **kwargs: Any) -> Any:
        # RLock has no public "owned" test: a non-blocking acquire from another thread tells.
        other = threading.Thread(target=lambda: held.append(not MOTO_LOCK.acquire(blocking=False)))
        other.start()
        other.join()
        return original_query(self, *args, **kwargs)

    with mock_aws(), patched_moto(lambda parameters: {}, ExecutionCompletions()):
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName="probe",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        DynamoDBBackend.query = probing_query  # type: ignore[method-assign]
        try:
            # WHEN a handler's client queries it (as the Map's threads and the page's polls do)
            client.query(
                TableName="probe", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "x"}}
            )
        finally:
            DynamoDBBackend.query = original_query  # type: ignore[method-assign]

    # THEN moto ran it under the lock, so no other thread's call could change the table meanwhile
    assert held == [True]
    # AND the lock is free again after the run
    assert MOTO_LOCK.acquire(blocking=False)
    MOTO_LOCK.release()


# Seam 6, in a fresh interpreter (this one may already hold moto's Batch integration from other tests).
_BATCH_PROBE = """
import json, sys
import boto3
from moto import mock_aws
from elea_local.moto_seam import ExecutionCompletions, patched_moto

definition = {"StartAt": "B", "States": {"B": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync",
    "Parameters": {"JobName": "j", "JobQueue": "q", "JobDefinition": "d"}, "End": True}}}
config = {"stepfunctions": {"execute_state_machine": True}}
with mock_aws(config=config), patched_moto(lambda parameters: {}, ExecutionCompletions()):
    loaded = sorted({name.split(".")[1] for name in sys.modules if name.startswith(("moto.ec2.", "moto.batch."))})
    sfn = boto3.client("stepfunctions", region_name="eu-west-3")
    try:
        role = "arn:aws:iam::123456789012:role/b"
        sfn.create_state_machine(name="b", definition=json.dumps(definition), roleArn=role)
        refusal = None
    except Exception as error:
        refusal = str(error)
print(json.dumps({"loaded": loaded, "interpreter": "moto.stepfunctions.parser.backend.execution" in sys.modules,
                  "refusal": refusal}))
"""


def test_the_interpreter_loads_without_moto_ec2_and_a_batch_task_is_refused_loudly() -> None:
    # GIVEN a fresh interpreter WHEN the runner plugs into moto and a Batch task is defined
    probe = subprocess.run([sys.executable, "-c", _BATCH_PROBE], check=True, capture_output=True, text=True)
    result = json.loads(probe.stdout.strip().splitlines()[-1])
    # THEN moto's interpreter is loaded, but neither moto.batch nor moto.ec2 (its ~130 MB of tables and models)
    assert result["interpreter"] is True
    assert result["loaded"] == [], f"LOCAL RUNNER SEAM MOVED: moto's Task factory now loads {result['loaded']}"
    # AND the state machine naming a Batch task is refused, saying why, rather than run half-way
    assert result["refusal"] is not None
    assert "LocalBatchTaskUnsupported" in result["refusal"]


def test_the_transaction_journal_stays_while_any_block_is_open_whichever_ends_first() -> None:
    # GIVEN the journal open (as every test has it) and a second block opened beside it
    from moto.dynamodb.models import DynamoDBBackend

    journaled = DynamoDBBackend.transact_write_items
    second = moto_transactions_journaled()
    second.__enter__()

    # WHEN a third block, from another thread, opens and closes while the second is still open
    def third() -> None:
        with moto_transactions_journaled():
            assert DynamoDBBackend.transact_write_items is journaled

    worker = threading.Thread(target=third)
    worker.start()
    worker.join()
    # THEN the seam is still in place, and still after the second closes (the test's own block is open)
    assert DynamoDBBackend.transact_write_items is journaled
    second.__exit__(None, None, None)
    assert DynamoDBBackend.transact_write_items is journaled


def test_one_definition_is_parsed_once_and_every_execution_runs_its_own_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN moto's ANTLR parser counted, and a definition this process never parsed before
    from moto.stepfunctions.parser.asl.antlr.runtime.ASLParser import ASLParser
    from moto.stepfunctions.parser.backend import execution_worker

    parsed: list[int] = []
    original_rule = ASLParser.state_machine

    def counted_rule(self: Any) -> Any:
        parsed.append(1)
        return original_rule(self)

    monkeypatch.setattr(ASLParser, "state_machine", counted_rule)
    programs: list[Any] = []
    original_entrypoint = execution_worker.ExecutionWorker._get_evaluation_entrypoint

    def kept_entrypoint(self: Any) -> Any:
        program = original_entrypoint(self)
        programs.append(program)
        return program

    monkeypatch.setattr(execution_worker.ExecutionWorker, "_get_evaluation_entrypoint", kept_entrypoint)
    definition = json.dumps(
        {"Comment": "seam 8 probe", "StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}}
    )
    completions = ExecutionCompletions()
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}), patched_moto(lambda p: {}, completions):
        sfn = boto3.client("stepfunctions", region_name=REGION)
        role = "arn:aws:iam::123456789012:role/probe"
        # WHEN two state machines of that definition are created and three executions run
        arns = [
            sfn.create_state_machine(name=name, definition=definition, roleArn=role)["stateMachineArn"]
            for name in ("probe-a", "probe-b")
        ]
        executions = [
            sfn.start_execution(stateMachineArn=arn, name=f"run-{n}", input=json.dumps({"n": n}))["executionArn"]
            for n, arn in enumerate([*arns, arns[0]])
        ]
        finished = [completions.event_for(execution).wait(60) for execution in executions]
        outputs = [json.loads(sfn.describe_execution(executionArn=e)["output"]) for e in executions]

    # THEN every execution ran, on a program of its own, from the one parse of the definition
    assert all(finished)
    assert outputs == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert len(parsed) == 1
    assert len({id(program) for program in programs}) == 3


def test_a_definition_with_an_error_is_refused_every_time() -> None:
    # GIVEN a definition the ASL grammar refuses
    broken = json.dumps({"StartAt": "Missing", "States": {"Done": {"Type": "Nonsense", "End": True}}})
    with (
        mock_aws(config={"stepfunctions": {"execute_state_machine": True}}),
        patched_moto(lambda p: {}, ExecutionCompletions()),
    ):
        sfn = boto3.client("stepfunctions", region_name=REGION)
        # WHEN it is created twice THEN it is refused twice: no refusal is ever kept as a parse
        for name in ("broken-a", "broken-b"):
            with pytest.raises(ClientError, match="ASLParserException"):
                sfn.create_state_machine(name=name, definition=broken, roleArn="arn:aws:iam::123456789012:role/p")
