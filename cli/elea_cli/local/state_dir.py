"""The local platform between runs: the DynamoDB tables' items as JSON under --state-dir, loaded
into moto at the start of a run and written back at its end. Local tooling only."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client

STATE_FILE = "platform-state.json"
FORMAT_VERSION = 1
DEFAULT_STATE_DIR = Path(".elea-local")


class LocalStateDir:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def state_file(self) -> Path:
        return self.root / STATE_FILE

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def mail_dir(self) -> Path:
        """Every e-mail sent locally, as .eml (issue 4)."""
        return self.root / "mail"

    @property
    def log_file(self) -> Path:
        return self.root / "logs" / "elea-import.log"

    def load_tables(self, client: DynamoDBClient, table_names: dict[str, str]) -> int:
        """Writes the saved items into the (empty) moto tables; returns how many."""
        if not self.state_file.exists():
            return 0
        saved = json.loads(self.state_file.read_text(encoding="utf-8"))
        if saved.get("format") != FORMAT_VERSION:
            raise ValueError(f"{self.state_file}: unknown format, remove the directory to start afresh")
        count = 0
        for logical_id, items in saved.get("tables", {}).items():
            name = table_names.get(logical_id)
            if name is None:
                continue
            for start in range(0, len(items), 25):
                requests: Any = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
                pending: Any = {name: requests}
                while pending:
                    pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or None
            count += len(items)
        return count

    def save_tables(
        self, client: DynamoDBClient, table_names: dict[str, str], *, written: set[str] | None = None
    ) -> None:
        """Writes every table's items; with `written` (table names), the others keep their saved items."""
        saved: dict[str, Any] = {}
        if written is not None and self.state_file.exists():
            saved = json.loads(self.state_file.read_text(encoding="utf-8")).get("tables", {})
        tables: dict[str, list[dict[str, Any]]] = {}
        for logical_id, name in sorted(table_names.items()):
            if written is not None and name not in written and logical_id in saved:
                tables[logical_id] = saved[logical_id]
                continue
            items: list[dict[str, Any]] = []
            for page in client.get_paginator("scan").paginate(TableName=name):
                items.extend(page.get("Items", []))
            tables[logical_id] = sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"format": FORMAT_VERSION, "tables": tables}, ensure_ascii=False), encoding="utf-8"
        )
        os.replace(temporary, self.state_file)

    def copy_reports(self, client: S3Client, bucket: str, prefix: str) -> list[Path]:
        """Copies the run's report files out of the local bucket, for the manager to open."""
        copied: list[Path] = []
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                key = item["Key"]
                # reports/{UAI}/{id}/… and login-sheets/{UAI}/{id}/… land in the same local folder.
                destination = self.reports_dir / key.partition("/")[2]
                destination.parent.mkdir(parents=True, exist_ok=True)
                client.download_file(bucket, key, str(destination))
                copied.append(destination)
        return sorted(copied)
