"""Reads template.yaml the way the local runner needs it: tables, bucket, functions, state machine.

Only the intrinsic functions our template uses are resolved (Ref, Fn::GetAtt, Fn::Sub); anything
else fails loudly rather than being guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = REPO_ROOT / "template.yaml"

LOCAL_REGION = "eu-west-3"
LOCAL_ACCOUNT = "123456789012"  # moto's default account
LOCAL_STACK = "elea-local"

_SHORT_TAGS = {
    "!Ref": "Ref",
    "!GetAtt": "Fn::GetAtt",
    "!Sub": "Fn::Sub",
    "!Join": "Fn::Join",
    "!If": "Fn::If",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!FindInMap": "Fn::FindInMap",
    "!Equals": "Fn::Equals",
    "!Not": "Fn::Not",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!ImportValue": "Fn::ImportValue",
    "!GetAZs": "Fn::GetAZs",
    "!Base64": "Fn::Base64",
    "!Condition": "Condition",
}


class TemplateError(RuntimeError):
    pass


class _CfnLoader(yaml.SafeLoader):
    """A YAML loader that turns CloudFormation short tags (!Ref…) into their long form."""


def _construct_tag(loader: _CfnLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = _SHORT_TAGS.get(f"!{tag_suffix}")
    if name is None:
        raise TemplateError(f"unsupported tag !{tag_suffix}")
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if name == "Fn::GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=_CfnLoader)  # noqa: S506 - a SafeLoader subclass
    if not isinstance(document, dict):
        raise TemplateError(f"{path} is not a template")
    return document


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    arn: str
    code_dir: Path
    module: str
    attribute: str
    environment: dict[str, str]


@dataclass(frozen=True)
class TableSpec:
    logical_id: str
    name: str
    properties: dict[str, Any]


@dataclass(frozen=True)
class HttpRoute:
    """One HttpApi event of a function: `GET /imports/{import_id}`, `POST /api/{proxy+}`."""

    method: str
    path: str
    function: str  # the function's logical id

    def match(self, method: str, path: str) -> tuple[int, int] | None:
        """None, or how specific the match is (as API Gateway prefers: literal segments, then no greedy one)."""
        if method.upper() != self.method.upper():
            return None
        wanted = [part for part in self.path.split("/") if part]
        given = [part for part in path.split("/") if part]
        literals = 0
        for index, part in enumerate(wanted):
            if part.endswith("+}"):
                return (literals, 0) if len(given) > index else None
            if index >= len(given):
                return None
            if part.startswith("{"):
                continue
            if part != given[index]:
                return None
            literals += 1
        return (literals, 1) if len(given) == len(wanted) else None


@dataclass(frozen=True)
class Schedule:
    """One Schedule event of a function (`rate(5 minutes)`): `elea-import serve` runs it on a timer."""

    function: str  # the function's logical id
    every_seconds: int


_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")
_RATE_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int:
    """`rate(5 minutes)` -> 300; a cron expression (or anything else) is not run locally: said loudly."""
    match = _RATE.fullmatch(expression.strip())
    if match is None:
        raise TemplateError(f"unsupported schedule {expression!r}: the local stack runs rate(N unit) only")
    return int(match.group(1)) * _RATE_UNIT_SECONDS[match.group(2).rstrip("s")]


@dataclass(frozen=True)
class LocalStackSpec:
    """What the runner creates on moto, with the names it gives each resource."""

    bucket_logical_id: str
    bucket_name: str
    tables: dict[str, TableSpec]
    functions: dict[str, FunctionSpec]
    state_machine_name: str
    definition: str
    rule_pattern: dict[str, Any]
    # The HTTP API's routes, from the functions' HttpApi events (`elea-import serve` routes by them).
    http_routes: tuple[HttpRoute, ...] = ()
    # The functions' Schedule events (the sweep of expired « Aperçu » plans).
    schedules: tuple[Schedule, ...] = ()

    def route(self, method: str, path: str) -> str | None:
        """The function API Gateway would call for this request, by the most specific matching route."""
        scored = [(score, route.function) for route in self.http_routes if (score := route.match(method, path))]
        return max(scored)[1] if scored else None

    def function_by_arn(self) -> dict[str, FunctionSpec]:
        return {spec.arn: spec for spec in self.functions.values()}

    def environment(self) -> dict[str, str]:
        """Every function's environment, merged: locally they share one process, so a variable
        that two functions set differently is a template error."""
        merged: dict[str, str] = {}
        for spec in self.functions.values():
            for name, value in spec.environment.items():
                if merged.get(name, value) != value:
                    raise TemplateError(f"{name} differs between functions; the local run needs one value")
                merged[name] = value
        return merged


class _Resolver:
    def __init__(self, template: dict[str, Any], parameters: dict[str, str]) -> None:
        self._resources: dict[str, Any] = template.get("Resources", {})
        self._parameters = parameters
        self._pseudo = {
            "AWS::Region": LOCAL_REGION,
            "AWS::AccountId": LOCAL_ACCOUNT,
            "AWS::StackName": LOCAL_STACK,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }

    def physical_name(self, logical_id: str) -> str:
        kind = self._resources[logical_id]["Type"]
        if kind == "AWS::S3::Bucket":
            return f"{LOCAL_STACK}-{logical_id.lower()}"
        return f"{LOCAL_STACK}-{logical_id}"

    def arn(self, logical_id: str) -> str:
        kind = self._resources[logical_id]["Type"]
        name = self.physical_name(logical_id)
        if kind == "AWS::Serverless::Function":
            return f"arn:aws:lambda:{LOCAL_REGION}:{LOCAL_ACCOUNT}:function:{name}"
        if kind == "AWS::S3::Bucket":
            return f"arn:aws:s3:::{name}"
        if kind == "AWS::DynamoDB::Table":
            return f"arn:aws:dynamodb:{LOCAL_REGION}:{LOCAL_ACCOUNT}:table/{name}"
        if kind == "AWS::Logs::LogGroup":
            return f"arn:aws:logs:{LOCAL_REGION}:{LOCAL_ACCOUNT}:log-group:{name}"
        raise TemplateError(f"no local ARN for {kind} ({logical_id})")

    def ref(self, name: str) -> str:
        if name in self._pseudo:
            return self._pseudo[name]
        if name in self._parameters:
            return self._parameters[name]
        if name in self._resources:
            return self.physical_name(name)
        raise TemplateError(f"Ref to unknown {name}")

    def get_att(self, logical_id: str, attribute: str) -> str:
        if attribute != "Arn":
            raise TemplateError(f"Fn::GetAtt {logical_id}.{attribute} is not resolved locally")
        return self.arn(logical_id)

    def resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, argument),) = value.items()
            if key == "Ref":
                return self.ref(argument)
            if key == "Fn::GetAtt":
                logical_id, attribute = argument if isinstance(argument, list) else argument.split(".", 1)
                return self.get_att(logical_id, attribute)
            if key == "Fn::Sub":
                return self._sub(argument)
            if key.startswith("Fn::"):
                raise TemplateError(f"{key} is not resolved locally")
        return {key: self.resolve(item) for key, item in value.items()}

    def _sub(self, argument: Any) -> str:
        if not isinstance(argument, str):
            raise TemplateError("Fn::Sub with a variable map is not resolved locally")

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if "." in name and name not in self._pseudo:
                logical_id, attribute = name.split(".", 1)
                return self.get_att(logical_id, attribute)
            return self.ref(name)

        return re.sub(r"\$\{([^}!]+)\}", replace, argument)


def local_stack(
    template: dict[str, Any] | None = None,
    *,
    parameter_overrides: dict[str, str] | None = None,
    root: Path = REPO_ROOT,
) -> LocalStackSpec:
    """The template's resources as the local runner creates them (as `sam deploy` would, with
    `--parameter-overrides`)."""
    template = template if template is not None else load_template(root / "template.yaml")
    parameters = {name: str(spec.get("Default", "")) for name, spec in template.get("Parameters", {}).items()}
    for name, value in (parameter_overrides or {}).items():
        if name not in parameters:
            raise TemplateError(f"unknown parameter {name}")
        parameters[name] = value
    resolver = _Resolver(template, parameters)
    resources: dict[str, Any] = template["Resources"]
    global_env = template.get("Globals", {}).get("Function", {}).get("Environment", {}).get("Variables", {})

    def of_type(kind: str) -> dict[str, Any]:
        return {logical_id: spec for logical_id, spec in resources.items() if spec["Type"] == kind}

    buckets = of_type("AWS::S3::Bucket")
    if len(buckets) != 1:
        raise TemplateError("the template must declare exactly one bucket")
    bucket_id = next(iter(buckets))

    tables = {
        logical_id: TableSpec(logical_id, resolver.physical_name(logical_id), resolver.resolve(spec["Properties"]))
        for logical_id, spec in of_type("AWS::DynamoDB::Table").items()
    }

    functions: dict[str, FunctionSpec] = {}
    routes: list[HttpRoute] = []
    schedules: list[Schedule] = []
    for logical_id, spec in of_type("AWS::Serverless::Function").items():
        for event in spec["Properties"].get("Events", {}).values():
            if event.get("Type") == "HttpApi":
                routes.append(HttpRoute(event["Properties"]["Method"], event["Properties"]["Path"], logical_id))
            if event.get("Type") == "Schedule":
                schedules.append(Schedule(logical_id, rate_seconds(str(event["Properties"]["Schedule"]))))
        properties = spec["Properties"]
        module, attribute = properties["Handler"].rsplit(".", 1)
        variables = {**global_env, **properties.get("Environment", {}).get("Variables", {})}
        functions[logical_id] = FunctionSpec(
            logical_id=logical_id,
            arn=resolver.arn(logical_id),
            code_dir=root / properties["CodeUri"],
            module=module,
            attribute=attribute,
            environment={name: str(resolver.resolve(value)) for name, value in variables.items()},
        )

    machines = of_type("AWS::Serverless::StateMachine")
    if len(machines) != 1:
        raise TemplateError("the template must declare exactly one state machine")
    machine_id, machine = next(iter(machines.items()))
    properties = machine["Properties"]
    definition = (root / properties["DefinitionUri"]).read_text(encoding="utf-8")
    for name, value in resolver.resolve(properties.get("DefinitionSubstitutions", {})).items():
        definition = definition.replace("${" + name + "}", str(value))
    leftover = re.findall(r"\$\{[A-Za-z0-9]+\}", definition)
    if leftover:
        raise TemplateError(f"DefinitionSubstitutions leave {sorted(set(leftover))} unresolved")
    json.loads(definition)  # a substitution must not break the JSON

    rules = [
        event["Properties"]["Pattern"]
        for event in properties.get("Events", {}).values()
        if event.get("Type") == "EventBridgeRule"
    ]
    if len(rules) != 1:
        raise TemplateError("the state machine must have exactly one EventBridge rule")

    return LocalStackSpec(
        bucket_logical_id=bucket_id,
        bucket_name=resolver.physical_name(bucket_id),
        tables=tables,
        functions=functions,
        state_machine_name=resolver.physical_name(machine_id),
        definition=definition,
        rule_pattern=resolver.resolve(rules[0]),
        http_routes=tuple(routes),
        schedules=tuple(schedules),
    )
