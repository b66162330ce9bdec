"""Where the local runner reaches into moto: its Step Functions interpreter and DynamoDB backend.

moto runs the real ASL (mock_aws(config={"stepfunctions": {"execute_state_machine": True}})),
but its Lambda invoke needs Docker. So, while a local run lasts:

1. invoke: `lambda_eval_utils._invoke_lambda_function(parameters, region, state_credentials)`, used by
   every Lambda Task (`arn:aws:states:::lambda:invoke` and bare function ARNs), is replaced by an
   in-process call of the handler the template names;
2. retry waits: `retrier_decl.time.sleep(IntervalSeconds)` is made a no-op, so retries never sleep;
3. completion: `BaseExecutionWorkerCommunication.terminated()` also signals an event, so the runner
   waits for the end of an execution without polling;
4. state load: the saved platform is put straight into moto's DynamoDB backend
   (`DynamoDBBackend.put_item(table_name, item_attrs)`), skipping the HTTP (de)serialisation of one
   BatchWriteItem per 25 saved items (about 2 s of a 3,000-account re-import); and the state save reads
   them straight out of it (`Table.all_items()`, each `Item.to_json()`), skipping a paginated Scan whose
   serialisation cost most of a 3,000-account first import's wall time (moto serialises about 1 ms per item);
5. one request at a time: moto's backends are plain dicts, not thread-safe, and the Map's iterations,
   the web page's polls and `serve`'s saves call them from several threads (a DynamoDB query iterating
   a table while another thread puts an item raises "dictionary changed size during iteration").
   `BotocoreStubber.__call__`, through which every in-process boto3 call reaches moto, runs under
   `MOTO_LOCK`, as does the upload endpoint's moto server. AWS itself serialises each item's writes;
   the handlers' own code still runs concurrently;
6. no Batch tasks: the interpreter's Task factory (`state_task_service_factory`) imports its Batch
   integration eagerly, which imports `moto.batch` and with it all of moto's EC2 (the instance-type
   tables, the EC2 service model, IAM, ECS): about 130 MB of a local run's 300, for a service the
   chain's ASL never names (it only invokes Lambdas). Before the interpreter is first imported, that
   one module is replaced by one whose class refuses to be built, so a Batch task fails loudly.

7. transactions roll back item by item: moto's `DynamoDBBackend.transact_write_items` deep-copies every
   table it touches before applying the actions (its rollback), which costs seconds per call on a table of
   a few thousand accounts (DynamoDB does no such thing). While the seam is on, that copy is the table
   itself, and the seam keeps instead a copy of each item the transaction names, put back (or deleted)
   if the transaction fails. `moto_transactions_journaled()` also serves the tests that run on bare moto.

8. the ASL is lexed and parsed once per definition: moto parses the whole definition with its ANTLR
   parser twice per run (`create_state_machine` validates it, each execution parses it again to run it),
   about 0.2 s each on this machine for the chain's ASL, paid on every `elea-import run` of a warm process
   (`serve`, the bench) and every test. While the seam is on, `AmazonStateLanguageParser.parse` keeps the
   parse tree of the last few definitions it parsed without error, and builds the evaluation components
   from it afresh on every call (they are the execution's own, never shared); a definition with an error
   is parsed, and refused, every time.

These are private names of moto 5.2.5 (pinned in pyproject.toml). tests/integration/test_moto_seam.py
fails loudly if the version or any of these seams changes.
"""

from __future__ import annotations

import functools
import importlib.util
import inspect
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType, SimpleNamespace
from typing import Any

EXPECTED_MOTO_VERSION = "5.2.5"
# Re-entrant: a moto call may run our code (S3 copy notice) that calls moto again on the same thread.
MOTO_LOCK = threading.RLock()

# How many `moto_transactions_journaled` blocks are open: the first in installs seam 7, the last out removes it.
_journal_depth = 0
_journal_removal: Callable[[], None] | None = None
_journal_lock = threading.Lock()

InvokeFunction = Callable[[dict[str, Any]], dict[str, Any]]


class MotoSeamMoved(RuntimeError):
    """moto changed where the local runner plugs in: the runner must be updated with it."""


_SERVICE_PACKAGE = "moto.stepfunctions.parser.asl.component.state.exec.state_task.service"
BATCH_TASK_MODULE = f"{_SERVICE_PACKAGE}.state_task_service_batch"
_TASK_FACTORY_MODULE = f"{_SERVICE_PACKAGE}.state_task_service_factory"


class LocalBatchTaskUnsupported(RuntimeError):
    """The local stack runs no AWS Batch task (seam 6): the chain's ASL has none."""


class _NoBatchTasks:
    def __init__(self) -> None:
        raise LocalBatchTaskUnsupported(
            "the local stack does not run AWS Batch tasks (arn:aws:states:::batch:*): the chain's ASL invokes "
            "Lambdas only; see local_stack/elea_local/moto_seam.py"
        )


def _without_batch_tasks() -> None:
    """Seam 6: installed once, before moto's interpreter is first imported; a no-op if it already is."""
    if BATCH_TASK_MODULE in sys.modules:
        return
    stub = ModuleType(BATCH_TASK_MODULE)
    stub.StateTaskServiceBatch = _NoBatchTasks  # type: ignore[attr-defined]
    sys.modules[BATCH_TASK_MODULE] = stub


def _factory_source() -> str:
    """The Task factory's source, read without importing it (importing it is what seam 6 avoids)."""
    spec = importlib.util.find_spec(_TASK_FACTORY_MODULE)
    if spec is None or spec.origin is None:
        raise MotoSeamMoved(f"moto's Task factory {_TASK_FACTORY_MODULE} moved")
    with open(spec.origin, encoding="utf-8") as source:
        return source.read()


def _modules() -> tuple[Any, Any, Any]:
    _without_batch_tasks()
    from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
    from moto.stepfunctions.parser.backend import execution

    return lambda_eval_utils, retrier_decl, execution


# Seam 8: moto's own parse (kept when the seam is first installed), and the trees of the last definitions
# it parsed (a process sees one per template and parameters).
_PARSE_TREES_KEPT = 8
_moto_parse: Callable[[str], tuple[Any, Any]] | None = None


def _asl_parser() -> Any:
    from moto.stepfunctions.parser.asl.parse import asl_parser

    return asl_parser.AmazonStateLanguageParser


@functools.lru_cache(maxsize=_PARSE_TREES_KEPT)
def _parse_tree(definition: str) -> Any:
    # A definition with an error raises, and an exception is never cached: it is parsed, and refused, again.
    if _moto_parse is None:
        raise RuntimeError("seam 8 parses only once patched_moto has kept moto's own parse")
    return _moto_parse(definition)[1]


def _parse_once(definition: str) -> tuple[Any, Any]:
    """Seam 8: moto's parse, lexed and parsed once per definition; the evaluation components are built from
    the tree on every call, so each execution has its own."""
    from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

    tree = _parse_tree(definition)
    return Preprocessor().visit(tree), tree


def check_seams() -> None:
    """Raises MotoSeamMoved, naming what moved, unless moto is the version the seams were read in."""
    import moto

    if moto.__version__ != EXPECTED_MOTO_VERSION:
        raise MotoSeamMoved(
            f"moto {moto.__version__} is installed, the local runner's seams were checked against "
            f"{EXPECTED_MOTO_VERSION}: re-read local_stack/elea_local/moto_seam.py against the new moto, then update "
            "EXPECTED_MOTO_VERSION and the pin in pyproject.toml together."
        )
    factory = _factory_source()
    if f"from {BATCH_TASK_MODULE} import (\n    StateTaskServiceBatch,\n)" not in factory or (
        "return StateTaskServiceBatch()" not in factory
    ):
        raise MotoSeamMoved("moto's Task factory no longer takes StateTaskServiceBatch from state_task_service_batch")
    try:
        lambda_eval_utils, retrier_decl, execution = _modules()
    except ImportError as error:
        raise MotoSeamMoved(f"a moto module the local runner patches has moved: {error}") from error

    invoke = getattr(lambda_eval_utils, "_invoke_lambda_function", None)
    if invoke is None or list(inspect.signature(invoke).parameters) != ["parameters", "region", "state_credentials"]:
        raise MotoSeamMoved(
            "moto's lambda_eval_utils._invoke_lambda_function(parameters, region, state_credentials) moved"
        )
    integration = inspect.getsource(lambda_eval_utils.execute_lambda_function_integration)
    if "_invoke_lambda_function(" not in integration:
        raise MotoSeamMoved("execute_lambda_function_integration no longer calls _invoke_lambda_function")

    if "time.sleep(interval_seconds)" not in inspect.getsource(retrier_decl.RetrierDecl._eval_body):
        raise MotoSeamMoved("RetrierDecl._eval_body no longer waits with time.sleep(interval_seconds)")

    from moto.dynamodb.models import DynamoDBBackend

    if list(inspect.signature(DynamoDBBackend.put_item).parameters)[:3] != ["self", "table_name", "item_attrs"]:
        raise MotoSeamMoved("moto's DynamoDBBackend.put_item(table_name, item_attrs, ...) moved")

    from moto.core.botocore_stubber import BotocoreStubber

    if list(inspect.signature(BotocoreStubber.__call__).parameters)[:3] != ["self", "event_name", "request"]:
        raise MotoSeamMoved("moto's BotocoreStubber.__call__(event_name, request, **kwargs) moved")

    communication = getattr(execution, "BaseExecutionWorkerCommunication", None)
    if communication is None or not callable(getattr(communication, "terminated", None)):
        raise MotoSeamMoved("moto's BaseExecutionWorkerCommunication.terminated() moved")
    if "_reflect_execution_status" not in inspect.getsource(communication.terminated):
        raise MotoSeamMoved("BaseExecutionWorkerCommunication.terminated() no longer records the final status")

    parser = _asl_parser()
    parse_source = inspect.getsource(parser.parse)
    if "preprocessor.visit(tree)" not in parse_source or "return program, tree" not in parse_source:
        raise MotoSeamMoved("AmazonStateLanguageParser.parse no longer builds its program from the tree it parses")
    from moto.stepfunctions.parser import models
    from moto.stepfunctions.parser.backend import execution_worker

    for user in (models.StepFunctionsParserBackend._validate_definition, execution_worker.ExecutionWorker):
        if "AmazonStateLanguageParser.parse(" not in inspect.getsource(user):
            raise MotoSeamMoved(f"{user.__qualname__} no longer parses with AmazonStateLanguageParser.parse")


@contextmanager
def moto_transactions_journaled() -> Iterator[None]:
    """Seam 7: moto's TransactWriteItems keeps a copy of the items it names, not of whole tables. Nests, from
    any thread (a local run inside a test that already journals, `serve`'s concurrent runs): the first block
    in installs the seam, the last one out removes it."""
    global _journal_depth, _journal_removal
    with _journal_lock:
        if _journal_depth == 0:
            _journal_removal = _install_journal()
        _journal_depth += 1
    try:
        yield
    finally:
        with _journal_lock:
            _journal_depth -= 1
            if _journal_depth == 0 and _journal_removal is not None:
                _journal_removal()
                _journal_removal = None


def _install_journal() -> Callable[[], None]:
    """Puts seam 7 in place; returns what takes it out."""
    import copy

    from moto.dynamodb import models
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    if "copy.deepcopy(" not in inspect.getsource(DynamoDBBackend.transact_write_items) or models.copy is not copy:
        raise MotoSeamMoved("moto's DynamoDBBackend.transact_write_items no longer copies tables by deepcopy")
    original = DynamoDBBackend.transact_write_items

    def deepcopy(value: Any, memo: Any = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)

    def journaled(self: Any, transact_items: list[dict[str, Any]]) -> None:
        journal: list[tuple[Any, dict[str, Any], Any]] = []
        for entry in transact_items:
            _, action = next(iter(entry.items()))
            table = self.tables.get(action.get("TableName")) if isinstance(action, dict) else None
            if table is None:
                continue
            key = action.get("Key") or {
                name: action.get("Item", {}).get(name)
                for name in (table.hash_key_attr, table.range_key_attr)
                if name is not None
            }
            if any(value is None for value in key.values()):
                continue  # moto refuses it before writing anything
            before = self.get_item(table.name, key)
            journal.append((table, key, None if before is None else copy.deepcopy(before.to_json()["Attributes"])))
        try:
            original(self, transact_items)
        except Exception:
            for table, key, attributes in reversed(journal):
                if attributes is not None:
                    table.put_item(attributes)
                elif self.get_item(table.name, key) is not None:
                    self.delete_item(table.name, key)
            raise

    models.copy = SimpleNamespace(deepcopy=deepcopy)  # type: ignore[assignment]
    DynamoDBBackend.transact_write_items = journaled  # type: ignore[method-assign]

    def remove() -> None:
        DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]
        models.copy = copy

    return remove


def saved_item_writer(region: str) -> Callable[[str, dict[str, Any]], None]:
    """Puts one saved item (DynamoDB JSON) into a table of the running mock, as PutItem would."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][region]

    def put(table_name: str, item: dict[str, Any]) -> None:
        backend.put_item(table_name, item)

    return put


def saved_item_reader(region: str) -> Callable[[str], list[dict[str, Any]]]:
    """Every item (DynamoDB JSON) of a table of the running mock, as a Scan would return them."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][region]

    def read(table_name: str) -> list[dict[str, Any]]:
        return [item.to_json()["Attributes"] for item in backend.get_table(table_name).all_items()]

    return read


class ExecutionCompletions:
    """One event per execution ARN, set when moto records its final status."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[str, threading.Event] = {}

    def event_for(self, execution_arn: str) -> threading.Event:
        with self._lock:
            return self._events.setdefault(execution_arn, threading.Event())

    def terminated(self, execution_arn: str) -> None:
        self.event_for(execution_arn).set()


@contextmanager
def patched_moto(invoke: InvokeFunction, completions: ExecutionCompletions) -> Iterator[None]:
    """Plugs the runner into moto for the duration of the block (process-wide, restored after)."""
    from moto.core.botocore_stubber import BotocoreStubber

    check_seams()
    lambda_eval_utils, retrier_decl, execution = _modules()
    communication = execution.BaseExecutionWorkerCommunication
    original_invoke = lambda_eval_utils._invoke_lambda_function
    original_stub = BotocoreStubber.__call__
    original_time = retrier_decl.time
    original_terminated = communication.terminated
    global _moto_parse
    parser = _asl_parser()
    original_parse = parser.__dict__["parse"]  # the staticmethod itself, put back as it was
    if original_parse.__func__ is not _parse_once:
        _moto_parse = original_parse.__func__

    def invoke_in_process(parameters: dict[str, Any], region: str, state_credentials: Any) -> dict[str, Any]:
        return invoke(parameters)

    def terminated(self: Any) -> None:
        original_terminated(self)
        completions.terminated(self.execution.exec_arn)

    def one_request_at_a_time(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        with MOTO_LOCK:
            return original_stub(self, event_name, request, **kwargs)

    # Only the retrier's view of `time` changes: everything else keeps the real clock.
    no_wait_time = SimpleNamespace(
        **{name: getattr(original_time, name) for name in dir(original_time) if not name.startswith("__")}
    )
    no_wait_time.sleep = lambda seconds: None

    lambda_eval_utils._invoke_lambda_function = invoke_in_process
    retrier_decl.time = no_wait_time
    communication.terminated = terminated
    BotocoreStubber.__call__ = one_request_at_a_time  # type: ignore[method-assign]
    parser.parse = staticmethod(_parse_once)
    try:
        with moto_transactions_journaled():
            yield
    finally:
        parser.parse = original_parse
        BotocoreStubber.__call__ = original_stub  # type: ignore[method-assign]
        lambda_eval_utils._invoke_lambda_function = original_invoke
        retrier_decl.time = original_time
        communication.terminated = original_terminated
