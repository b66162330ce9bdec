"""The shape of platform-state.json, checked in full before anything of it reaches moto: a file
damaged in any way (truncated, hand-edited, another tool's) is one French refusal, never a
traceback half-way through a command. A checksum written beside the tables catches edits that
keep the shape but would break the adapters later."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from elea_local.cfn_template import TableSpec

FORMAT_VERSION = 1
_SCALARS = {"S", "N", "B"}
_SETS = {"SS", "NS", "BS"}


def table_key_schemas(tables: dict[str, TableSpec]) -> dict[str, dict[str, str]]:
    """Each table's key attributes and their types, as the template declares them ({"pk": "S"})."""
    schemas: dict[str, dict[str, str]] = {}
    for logical_id, spec in tables.items():
        types = {d["AttributeName"]: d["AttributeType"] for d in spec.properties["AttributeDefinitions"]}
        schemas[logical_id] = {k["AttributeName"]: types[k["AttributeName"]] for k in spec.properties["KeySchema"]}
    return schemas


def tables_checksum(tables: Any) -> str:
    canonical = json.dumps(tables, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _is_number(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def _is_attribute_value(value: Any, depth: int = 0) -> bool:
    """DynamoDB JSON: one type tag per value ({"S": "…"}, {"M": {…}}, …), nested 32 levels at most."""
    if depth > 32 or not isinstance(value, dict) or len(value) != 1:
        return False
    [(tag, content)] = value.items()
    if tag in _SCALARS:
        return _is_number(content) if tag == "N" else isinstance(content, str)
    if tag in _SETS:
        if not isinstance(content, list) or not content:
            return False
        return all(_is_number(x) if tag == "NS" else isinstance(x, str) for x in content)
    if tag == "BOOL":
        return isinstance(content, bool)
    if tag == "NULL":
        return content is True
    if tag == "L":
        return isinstance(content, list) and all(_is_attribute_value(x, depth + 1) for x in content)
    if tag == "M":
        return isinstance(content, dict) and all(
            isinstance(k, str) and _is_attribute_value(v, depth + 1) for k, v in content.items()
        )
    return False


def _has_keys(item: dict[str, Any], key_schema: dict[str, str]) -> bool:
    """The table's key attributes, each of the type the table declares."""
    return all(isinstance(item.get(name), dict) and set(item[name]) == {kind} for name, kind in key_schema.items())


def saved_tables_problem(saved: Any, key_schemas: dict[str, dict[str, str]]) -> str | None:
    """What is wrong with the decoded file, in French; None when it can be loaded as is.
    `key_schemas`: for each table's logical id, its key attributes and their types ({"pk": "S"})."""
    if not isinstance(saved, dict) or saved.get("format") != FORMAT_VERSION:
        return "ce n'est pas un état de plateforme locale de ce format"
    tables = saved.get("tables", {})
    if not isinstance(tables, dict):
        return "la liste des tables est abîmée"
    checksum = saved.get("checksum")
    if checksum is not None and checksum != tables_checksum(tables):
        return "son contenu a été modifié ou abîmé depuis son enregistrement"
    for logical_id, items in tables.items():
        if not isinstance(items, list):
            return f"la table {logical_id} est abîmée"
        keys = key_schemas.get(logical_id)
        for item in items:
            if not isinstance(item, dict) or not all(
                isinstance(name, str) and _is_attribute_value(value) for name, value in item.items()
            ):
                return f"un élément de la table {logical_id} est abîmé"
            if keys is not None and not _has_keys(item, keys):
                return f"un élément de la table {logical_id} n'a pas sa clé"
    return None
