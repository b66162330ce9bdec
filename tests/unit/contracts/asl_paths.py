"""Just enough JSONPath to follow our ASL's Parameters, ItemSelector and ResultSelector in tests."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

ASL_PATH = Path(__file__).resolve().parents[3] / "statemachine" / "import.asl.json"


def load_asl() -> dict[str, Any]:
    definition: dict[str, Any] = json.loads(ASL_PATH.read_text(encoding="utf-8"))
    return definition


# The one intrinsic our ASL uses: a template parameter (DefinitionSubstitutions) turned into a number.
_STRING_TO_JSON = re.compile(r"^States\.StringToJson\('(?P<text>[^']*)'\)$")


def _substituted(text: str) -> str:
    """A ${Parameter} placeholder as deployed with the template's default value."""
    from elea_local.cfn_template import load_template

    machine = load_template()["Resources"]["ImportStateMachine"]["Properties"]["DefinitionSubstitutions"]
    parameters = load_template()["Parameters"]

    def default(match: re.Match[str]) -> str:
        return str(parameters[machine[match.group(1)]["Ref"]]["Default"])

    return re.sub(r"\$\{([A-Za-z0-9]+)\}", default, text)


def read_path(path: str, state: Any, context: dict[str, Any]) -> Any:
    intrinsic = _STRING_TO_JSON.match(path)
    if intrinsic is not None:
        return json.loads(_substituted(intrinsic.group("text")))
    if path.startswith("$$"):
        source, rest = context, path[2:]
    else:
        source, rest = state, path[1:]
    value = source
    for part in [part for part in rest.split(".") if part]:
        if not isinstance(value, dict) or part not in value:
            # What Step Functions does too: a missing path fails the state (States.Runtime).
            raise KeyError(f"{path} is not in the state")
        value = value[part]
    return value


def apply_template(template: Any, state: Any, context: dict[str, Any]) -> Any:
    if isinstance(template, dict):
        result: dict[str, Any] = {}
        for key, value in template.items():
            if key.endswith(".$"):
                result[key[:-2]] = read_path(value, state, context)
            else:
                result[key] = apply_template(value, state, context)
        return result
    if isinstance(template, list):
        return [apply_template(item, state, context) for item in template]
    return template


def task_payload(task: dict[str, Any], state: Any, context: dict[str, Any]) -> Any:
    """The Lambda Payload a `arn:aws:states:::lambda:invoke` Task sends."""
    parameters = apply_template(task["Parameters"], state, context)
    return parameters["Payload"]


def task_result(task: dict[str, Any], payload: Any) -> Any:
    """What the Task keeps of the Lambda's answer (ResultSelector over {"Payload": ...})."""
    return apply_template(task["ResultSelector"], {"Payload": payload}, {})


def put_result(state: dict[str, Any], result_path: str, result: Any) -> dict[str, Any]:
    assert result_path.startswith("$.")
    assert "." not in result_path[2:], "only top-level ResultPaths here"
    return {**state, result_path[2:]: result}
