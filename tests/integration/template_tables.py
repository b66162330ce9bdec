"""Creates a table on moto exactly as template.yaml declares it (one source of truth for key schemas)."""

from __future__ import annotations

from typing import Any

from elea_local.cfn_template import local_stack


def create_template_table(client: Any, logical_id: str, name: str | None = None) -> str:
    spec = local_stack().tables[logical_id]
    properties = spec.properties
    arguments: dict[str, Any] = {
        "TableName": name or spec.name,
        "KeySchema": properties["KeySchema"],
        "AttributeDefinitions": properties["AttributeDefinitions"],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if "GlobalSecondaryIndexes" in properties:
        arguments["GlobalSecondaryIndexes"] = properties["GlobalSecondaryIndexes"]
    client.create_table(**arguments)
    return str(arguments["TableName"])
