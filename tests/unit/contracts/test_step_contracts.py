"""One step's output validates as the next step's input, following the ASL's own paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from elea.models.chunk_result import ChunkResult
from elea.models.cohort_counts import CohortCounts
from elea.models.deprovision_summary import DeprovisionSummary
from elea.models.import_outcome import ImportOutcome
from elea.models.import_record import ImportStatus
from elea.models.outcome_counts import OutcomeCounts
from elea.models.parse_manifest import ChunkRef, ParseManifest, ParseStatus
from elea.models.step_failure import ImportFailure
from elea.models.step_inputs import (
    ChunkRequest,
    ClassesRequest,
    DeprovisionRequest,
    FailureRequest,
    ParseRequest,
    ReportRequest,
)
from tests.unit.contracts.asl_paths import apply_template, load_asl, put_result, task_payload, task_result

ASL = load_asl()
STATES = ASL["States"]
USERS_CHUNK = STATES["Users"]["ItemProcessor"]["States"]["UsersChunk"]
EVENT = json.loads((Path(__file__).resolve().parents[2] / "events" / "object_created.json").read_text("utf-8"))
CONTEXT = {"Execution": {"Id": "arn:aws:states:eu-west-3:123456789012:execution:import:abc"}}
# Step Functions refuses state data over 256 KiB.
STATE_LIMIT = 256 * 1024


def manifest(chunks: int) -> ParseManifest:
    import_id = "0123456789abcdef01234567"
    prefix = f"staging/0750654D/{import_id}/"
    return ParseManifest(
        status=ParseStatus.READY,
        import_id=import_id,
        bucket="elea-import-bucket",
        upload_key="imports/0750654D/export.csv",
        file_name="export.csv",
        uai="0750654D",
        staging_prefix=prefix,
        format="ent-csv",
        people_count=1000 * chunks,
        classes_count=26,
        chunks=[ChunkRef(index=i, key=f"{prefix}people/chunk-{i:05d}.jsonl", people=1000) for i in range(chunks)],
    )


def run_happy_path(chunks: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Follows Prepare → Parse → Classes → Users → Deprovision → Report; returns the final state and
    every state handed to a Catch on the way."""
    caught: list[dict[str, Any]] = []
    state = apply_template(STATES["Prepare"]["Parameters"], EVENT, CONTEXT)
    ParseRequest.model_validate(task_payload(STATES["Parse"], state, CONTEXT))
    caught.append(state)

    state = put_result(state, "$.manifest", task_result(STATES["Parse"], manifest(chunks).model_dump(mode="json")))
    ClassesRequest.model_validate(task_payload(STATES["Classes"], state, CONTEXT))
    caught.append(state)
    state = put_result(state, "$.cohorts", task_result(STATES["Classes"], CohortCounts(created=26).model_dump()))

    results = []
    for chunk in state["manifest"]["chunks"]:
        item_context = {**CONTEXT, "Map": {"Item": {"Value": chunk}}}
        item = apply_template(STATES["Users"]["ItemSelector"], state, item_context)
        request = ChunkRequest.model_validate(task_payload(USERS_CHUNK, item, item_context))
        answer = ChunkResult(index=request.chunk.index, outcomes_key="k", counts=OutcomeCounts(created=1000))
        results.append(task_result(USERS_CHUNK, answer.model_dump(mode="json")))
    caught.append(state)
    state = put_result(state, "$.chunks", results)

    DeprovisionRequest.model_validate(task_payload(STATES["Deprovision"], state, CONTEXT))
    caught.append(state)
    summary = DeprovisionSummary(suspended=3, held=0, outcomes_key="k")
    state = put_result(state, "$.deprovision", task_result(STATES["Deprovision"], summary.model_dump()))

    ReportRequest.model_validate(task_payload(STATES["Report"], state, CONTEXT))
    caught.append(state)
    return state, caught


def test_each_step_output_is_the_next_step_input() -> None:
    final, _ = run_happy_path(chunks=3)
    request = ReportRequest.model_validate(task_payload(STATES["Report"], final, CONTEXT))
    assert [chunk.index for chunk in request.chunks] == [0, 1, 2]
    assert request.deprovision.suspended == 3


def test_every_state_a_catch_can_see_is_a_valid_failure_report_input() -> None:
    _, caught = run_happy_path(chunks=2)
    for state in caught:
        with_error = {**state, "error": {"Error": "Lambda.ServiceException", "Cause": "…"}}
        payload = task_payload(STATES["ReportFailure"], with_error, CONTEXT)
        request = FailureRequest.model_validate(payload)
        assert request.error is not None
        assert request.execution_id == CONTEXT["Execution"]["Id"]


def test_a_refused_manifest_reaches_the_failure_report_with_its_reason() -> None:
    state = apply_template(STATES["Prepare"]["Parameters"], EVENT, CONTEXT)
    refused = manifest(0).model_copy(
        update={"status": ParseStatus.REFUSED, "failure": ImportFailure(code="uai_mismatch", message="…")}
    )
    state = put_result(state, "$.manifest", task_result(STATES["Parse"], refused.model_dump(mode="json")))
    request = FailureRequest.model_validate(task_payload(STATES["ReportFailure"], state, CONTEXT))
    assert request.manifest is not None
    assert request.manifest.failure is not None
    assert request.manifest.failure.code == "uai_mismatch"


def test_state_stays_small_even_for_the_largest_accepted_file() -> None:
    # GIVEN 100 chunks (100,000 people, about the 20 MB limit): the state holds keys and counts only
    final, _ = run_happy_path(chunks=100)
    assert len(json.dumps(final).encode("utf-8")) < STATE_LIMIT / 4


@pytest.mark.parametrize(
    ("task", "model"),
    [
        (STATES["Parse"], ParseManifest),
        (STATES["Classes"], CohortCounts),
        (USERS_CHUNK, ChunkResult),
        (STATES["Deprovision"], DeprovisionSummary),
        (STATES["Report"], ImportOutcome),
    ],
    ids=["Parse", "Classes", "UsersChunk", "Deprovision", "Report"],
)
def test_result_selectors_keep_exactly_the_output_models_fields(task: dict[str, Any], model: type[BaseModel]) -> None:
    selected = {key.removesuffix(".$") for key in task["ResultSelector"]}
    assert selected == set(model.model_fields)


def test_the_failure_report_keeps_only_fields_it_returns() -> None:
    selected = {key.removesuffix(".$") for key in STATES["ReportFailure"]["ResultSelector"]}
    assert selected <= set(ImportOutcome.model_fields)
    assert ImportStatus.REFUSED.value == "refused"
