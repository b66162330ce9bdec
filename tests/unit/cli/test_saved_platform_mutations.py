"""A damaged platform-state.json, whatever its shape, is a French refusal: never a traceback (issue 9, item 8)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from elea_cli.main import main
from elea_local.cfn_template import LOCAL_REGION, local_stack
from elea_local.moto_seam import saved_item_writer
from elea_local.saved_platform import table_key_schemas
from elea_local.state_dir import STATE_FILE, LocalStateDir, StateDirUnusable
from tests.integration.template_tables import create_template_table

UAI = "0771234Y"

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def saved_state(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real saved platform: one school registered (establishment, credential and account items)."""
    state = tmp_path_factory.mktemp("registered")
    argv = ["establishment", "add", UAI, "--dept", "77", "--basin", "3", "--name", "Collège", "--state-dir"]
    assert main([*argv, str(state)]) == 0
    return (state / STATE_FILE).read_text(encoding="utf-8")


@pytest.fixture
def loader() -> Iterator[tuple[Any, dict[str, str], dict[str, dict[str, str]]]]:
    stack = local_stack()
    with mock_aws():
        client = boto3.client("dynamodb", region_name=LOCAL_REGION)
        names = {lid: create_template_table(client, lid, f"mutations-{lid}") for lid in stack.tables}
        yield saved_item_writer(LOCAL_REGION), names, table_key_schemas(stack.tables)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _replaced(document: Any, path: tuple[Any, ...], value: Any, *, delete: bool) -> Any:
    if not path:
        return value
    mutated = copy.deepcopy(document)
    parent = mutated
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return mutated


@st.composite
def damaged(draw: st.DrawFn, text: str) -> str:
    """A saved state damaged as files are: truncated, one value replaced or removed, the checksum lost."""
    if draw(st.booleans()):
        return text[: draw(st.integers(min_value=0, max_value=len(text) - 1))]
    document = json.loads(text)
    if draw(st.booleans()):
        document.pop("checksum", None)
    path = draw(st.sampled_from(_paths(document)))
    delete = bool(path) and draw(st.booleans())
    return json.dumps(_replaced(document, path, draw(JSON_VALUES), delete=delete))


def test_the_saved_state_itself_loads(saved_state: str, loader: Any, tmp_path: Path) -> None:
    put, names, schemas = loader
    (tmp_path / STATE_FILE).write_text(saved_state, encoding="utf-8")
    assert LocalStateDir(tmp_path).load_tables(put, names, schemas) > 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damaged_state_file_is_refused_in_french_or_loads_never_a_crash(
    data: st.DataObject, saved_state: str, loader: Any, tmp_path: Path
) -> None:
    # GIVEN a real saved platform damaged in some way
    put, names, schemas = loader
    text = data.draw(damaged(saved_state))
    (tmp_path / STATE_FILE).write_text(text, encoding="utf-8")
    # WHEN it is loaded into the local tables
    refusal: StateDirUnusable | None = None
    try:
        LocalStateDir(tmp_path).load_tables(put, names, schemas)
    except StateDirUnusable as error:
        refusal = error
    # THEN it loads (a lost checksum on a still well-formed file), or is a French refusal with a code and a hint
    if refusal is not None:
        assert refusal.code == "state_dir_corrupt"
        assert "illisible" in refusal.message
        assert refusal.hint


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        "null",
        "42",
        '{"format": 1, "tables": []}',
        '{"format": 1, "tables": {"PlatformTable": "x"}}',
        '{"format": 1, "tables": {"PlatformTable": [{"pk": {"S": "x"}}]}}',
        '{"format": 1, "tables": {"ImportsTable": [{"import_id": {"N": "1"}}]}}',
        '{"format": 1, "tables": {"PlatformTable": [{"pk": {"S": "a"}, "sk": {"S": "b"}, "n": {"N": "x"}}]}}',
        '{"format": 1, "tables": {}, "checksum": "0"}',
        "[" * 100_000,
    ],
)
def test_the_commands_refuse_a_damaged_state_in_french(
    body: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a state dir whose platform-state.json has this shape
    (tmp_path / STATE_FILE).write_text(body, encoding="utf-8")
    # WHEN a command loads it
    code = main(["approve", "0" * 24, "--state-dir", str(tmp_path)])
    captured = capsys.readouterr()
    # THEN a French refusal, a stable code, no traceback, and the file left as it was
    assert code == 2
    assert "illisible" in captured.err
    assert "Code : state_dir_corrupt" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert (tmp_path / STATE_FILE).read_text(encoding="utf-8") == body
