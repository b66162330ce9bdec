"""The state machine definition: valid states, a Retry on every Task, every failure to the report."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from elea.logic.school_lease import SCHOOL_LEASE
from elea_local.cfn_template import load_template, local_stack
from tests.unit.contracts.asl_paths import ASL_PATH, load_asl

STATE_TYPES = {"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}
LAMBDA_ERRORS = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
}
OUR_TRANSIENT_ERRORS = {"ConcurrentChange", "PlatformError"}
FAILURE_REPORT = "ReportFailure"


def all_states(machine: dict[str, Any], inside_map: str | None = None) -> list[tuple[str, dict[str, Any], str | None]]:
    """(name, state, enclosing Map name) for every state, nested ones included."""
    found = []
    for name, state in machine["States"].items():
        found.append((name, state, inside_map))
        if state["Type"] == "Map":
            found.extend(all_states(state["ItemProcessor"], inside_map=name))
    return found


def successors(state: dict[str, Any]) -> set[str]:
    targets = {state[key] for key in ("Next", "Default") if key in state}
    targets |= {choice["Next"] for choice in state.get("Choices", [])}
    targets |= {catch["Next"] for catch in state.get("Catch", [])}
    return targets


ASL = load_asl()
STATES = all_states(ASL)
TASKS = [(name, state, parent) for name, state, parent in STATES if state["Type"] == "Task"]


def test_the_definition_is_valid_for_the_step_functions_interpreter() -> None:
    # GIVEN the definition with the template's substitutions applied, as SAM deploys it
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    definition = local_stack().definition
    # WHEN moto's ASL parser (the one `elea-import run` executes) reads it THEN it accepts it
    program, _ = AmazonStateLanguageParser.parse(definition)
    assert program is not None


@pytest.mark.parametrize(("name", "state", "parent"), STATES, ids=[name for name, _, _ in STATES])
def test_every_state_has_a_known_type_and_leads_to_existing_states(
    name: str, state: dict[str, Any], parent: str | None
) -> None:
    assert state["Type"] in STATE_TYPES
    scope = ASL["States"] if parent is None else ASL["States"][parent]["ItemProcessor"]["States"]
    assert successors(state) <= set(scope), f"{name} leads to an unknown state"
    if state["Type"] not in {"Choice", "Succeed", "Fail"}:
        assert state.get("End") is True or "Next" in state, f"{name} neither ends nor goes on"


def test_every_state_is_reachable_from_the_start() -> None:
    seen, todo = set(), [ASL["StartAt"]]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(successors(ASL["States"][name]))
    assert seen == set(ASL["States"])


@pytest.mark.parametrize(("name", "state", "parent"), TASKS, ids=[name for name, _, _ in TASKS])
def test_every_task_retries_lambda_service_errors_and_our_transient_errors(
    name: str, state: dict[str, Any], parent: str | None
) -> None:
    retried = {error for retrier in state.get("Retry", []) for error in retrier["ErrorEquals"]}
    assert retried >= LAMBDA_ERRORS | OUR_TRANSIENT_ERRORS
    for retrier in state["Retry"]:
        assert 1 <= retrier["MaxAttempts"] <= 10


@pytest.mark.parametrize(("name", "state", "parent"), TASKS, ids=[name for name, _, _ in TASKS])
def test_every_task_failure_ends_in_the_failure_report(name: str, state: dict[str, Any], parent: str | None) -> None:
    if name == FAILURE_REPORT:
        # The failure report is the last resort: retried, never looping back to itself.
        assert "Catch" not in state
        assert ASL["States"][state["Next"]]["Type"] == "Fail"
        return
    # A Task inside the Map is caught by the Map (a Catch cannot leave an item processor).
    catcher = state if parent is None else ASL["States"][parent]
    catches = catcher.get("Catch", [])
    assert any("States.ALL" in catch["ErrorEquals"] and catch["Next"] == FAILURE_REPORT for catch in catches)
    for catch in catches:
        assert catch["ResultPath"] == "$.error", "the state must be kept for the failure report"


def test_a_refused_file_goes_to_the_failure_report_and_a_duplicate_touches_nothing() -> None:
    choices = {choice["StringEquals"]: choice["Next"] for choice in ASL["States"]["Route"]["Choices"]}
    assert choices == {"duplicate": "Doublon", "refused": FAILURE_REPORT}
    assert ASL["States"]["Doublon"]["Type"] == "Succeed"


def test_users_map_runs_over_the_staged_chunks_with_the_concurrency_the_template_sets() -> None:
    # GIVEN the Users Map and the template's MoodleMaxConcurrency parameter
    users = ASL["States"]["Users"]
    parameter = load_template()["Parameters"]["MoodleMaxConcurrency"]
    assert users["ItemsPath"] == "$.manifest.chunks"
    assert "MaxConcurrency" not in users
    # THEN the Map reads its bound from the state, which Prepare fills from the substituted parameter as a number
    assert users["MaxConcurrencyPath"] == "$.limits.users_max_concurrency"
    prepare = ASL["States"]["Prepare"]["Parameters"]
    assert prepare["limits"] == {"users_max_concurrency.$": "States.StringToJson('${MoodleMaxConcurrency}')"}
    assert 1 <= parameter["MinValue"] <= parameter["Default"] <= parameter["MaxValue"] <= 10
    deployed = json.loads(local_stack(parameter_overrides={"MoodleMaxConcurrency": "2"}).definition)
    assert deployed["States"]["Prepare"]["Parameters"]["limits"] == {
        "users_max_concurrency.$": "States.StringToJson('2')"
    }


PLATFORM_TASKS = ["Classes", "UsersChunk", "Deprovision"]


@pytest.mark.parametrize("name", PLATFORM_TASKS)
def test_a_platform_that_does_not_answer_is_retried_with_a_long_back_off_then_reported(name: str) -> None:
    # GIVEN a step that writes the school's platform
    state = next(state for task, state, _ in TASKS if task == name)
    (retrier,) = [r for r in state["Retry"] if "PlatformUnavailable" in r["ErrorEquals"]]
    # THEN the adapter's "no answer" errors (the domain's and the Moodle client's names) get a growing wait
    assert set(retrier["ErrorEquals"]) == {"PlatformUnavailable", "MoodleUnavailable"}
    assert retrier["BackoffRate"] >= 2
    assert retrier["IntervalSeconds"] >= 10
    assert retrier["MaxAttempts"] >= 3
    assert retrier["JitterStrategy"] == "FULL"
    total = sum(
        min(retrier["IntervalSeconds"] * retrier["BackoffRate"] ** n, retrier["MaxDelaySeconds"])
        for n in range(retrier["MaxAttempts"])
    )
    assert 5 * 60 <= total <= 30 * 60, "minutes of patience, not hours: the school waits for its report"


def test_a_second_import_of_the_same_school_waits_for_the_first() -> None:
    # GIVEN the parse step (it takes the school's lease)
    (retrier,) = [r for r in ASL["States"]["Parse"]["Retry"] if "SchoolImportBusy" in r["ErrorEquals"]]
    waited = sum(
        min(retrier["IntervalSeconds"] * retrier["BackoffRate"] ** n, retrier["MaxDelaySeconds"])
        for n in range(retrier["MaxAttempts"])
    )
    # THEN a busy school is retried for about an hour and more, well within the lease (= the execution timeout)
    assert 45 * 60 <= waited <= SCHOOL_LEASE.total_seconds() / 2
    assert ASL["TimeoutSeconds"] == SCHOOL_LEASE.total_seconds()


def test_every_substitution_is_provided_by_the_template_and_used() -> None:
    # GIVEN the ${...} placeholders of the ASL and the template's DefinitionSubstitutions
    placeholders = set(re.findall(r"\$\{([A-Za-z0-9]+)\}", ASL_PATH.read_text(encoding="utf-8")))
    machine = load_template()["Resources"]["ImportStateMachine"]["Properties"]
    # THEN they are the same set, and the template points at this very file
    assert placeholders == set(machine["DefinitionSubstitutions"])
    assert machine["DefinitionUri"] == "statemachine/import.asl.json"
