"""The import chain end to end on the local runner (moto, the template's ASL, handlers in-process):
570 and 3,000 people, each as a first import and as an unchanged re-import.

Measures wall time (the whole `LocalChain.run_file`, set-up of the local AWS included) and the AWS
API calls the chain's handlers make, by service and operation (botocore hooks, see
local_stack/elea_local/api_calls.py), with DynamoDB calls per 1,000 people of the file.
"""

from __future__ import annotations

import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from elea_local.api_calls import counting_api_calls
from elea_local.runner import LocalChain
from tests.fixtures.generator import SAMPLE_DIR, write_big_export

UAI = "0771234Y"
TARGET_FIRST = 100  # DynamoDB calls per 1,000 people, first import
TARGET_UNCHANGED = 20  # DynamoDB calls per 1,000 people, unchanged re-import
TARGET_SECONDS_3000 = 15.0
RUN_LABELS = {"first": "first import", "unchanged": "unchanged re-import"}


def _export(directory: Path, people: int) -> Path:
    if people == 570:
        return SAMPLE_DIR / "export.csv"
    path = directory / f"export-{people}.csv"
    with path.open("wb") as target:
        write_big_export(target, people)
    return path


def _measure(chain: LocalChain, export: Path) -> dict[str, Any]:
    with counting_api_calls() as calls:
        started = time.perf_counter()
        result = chain.run_file(export, UAI, basin="3")
        seconds = time.perf_counter() - started
    record = result.record
    if record is None or record.counts is None or record.status.value != "completed":
        raise RuntimeError(f"the benchmark import did not complete: {result.execution_statuses}")
    people = record.people_count
    dynamodb = calls.total("dynamodb")
    return {
        "seconds": round(seconds, 2),
        "people": people,
        "counts": record.counts.model_dump(),
        "dynamodb": dynamodb,
        "dynamodb_per_1000": round(dynamodb * 1000 / people, 1),
        "s3": calls.total("s3"),
        "calls": calls.by_operation(),
    }


def run_chain_bench(sizes: tuple[int, ...] = (570, 3000)) -> dict[str, Any]:
    scenarios: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="elea-chain-bench-") as folder:
        directory = Path(folder)
        for size in sizes:
            export = _export(directory, size)
            chain = LocalChain(directory / f"state-{size}")
            first = _measure(chain, export)
            unchanged = _measure(chain, export)
            scenarios.append({"size": size, "first": first, "unchanged": unchanged})
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}",
        "scenarios": scenarios,
    }


def chain_report(figures: dict[str, Any]) -> list[str]:
    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    lines = [
        f"Measured {figures['date']} on {figures['machine']} (2 cores shared with other sessions).",
        "`elea-import run` path: moto S3/DynamoDB/Step Functions, the template's state machine, handlers",
        "in-process; wall time is the whole run (local AWS set-up and state load/save included).",
        "Calls counted are the chain's: the runner's registration of the school on the first run (`--basin`,",
        "`establishment add` on AWS: its registry reads and writes, the activation e-mail) is not, since 2026-12-02.",
        "Exports: the bundled sample (570 rows) and a generated 3,000-row current-format ENT export.",
        "",
        "| export | run | wall time | DynamoDB calls | per 1,000 people | target | result | S3 calls |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scenario in figures["scenarios"]:
        for run, target in (("first", TARGET_FIRST), ("unchanged", TARGET_UNCHANGED)):
            data = scenario[run]
            ok = data["dynamodb_per_1000"] <= target
            time_note = ""
            if scenario["size"] == 3000:
                time_note = f" ({verdict(data['seconds'] < TARGET_SECONDS_3000)} < {TARGET_SECONDS_3000:.0f} s)"
            lines.append(
                f"| {scenario['size']:,} rows ({data['people']:,} people) | {RUN_LABELS[run]} "
                f"| {data['seconds']} s{time_note} | {data['dynamodb']} | {data['dynamodb_per_1000']} "
                f"| ≤ {target} | {verdict(ok)} | {data['s3']} |"
            )
    lines += ["", "Calls by operation (first import / unchanged re-import):", ""]
    for scenario in figures["scenarios"]:
        operations = sorted(set(scenario["first"]["calls"]) | set(scenario["unchanged"]["calls"]))
        cells = ", ".join(
            f"{name} {scenario['first']['calls'].get(name, 0)}/{scenario['unchanged']['calls'].get(name, 0)}"
            for name in operations
        )
        lines.append(f"- {scenario['size']:,} rows: {cells}")
    lines += [
        "",
        "Where the time goes on moto: each Users chunk reads its UAI's accounts in one Query, and moto",
        "serialises query and scan results at about 1 ms per item (DynamoDB does not), so an unchanged",
        "re-import of 3,000 accounts spends most of its time in those reads; the first import reads empty",
        "partitions. The runner writes back to --state-dir only the tables a run wrote.",
        "",
        "Outcomes: "
        + "; ".join(
            f"{scenario['size']:,} rows first {scenario['first']['counts']['created']} created, "
            f"re-import {scenario['unchanged']['counts']['unchanged']} unchanged"
            for scenario in figures["scenarios"]
        )
        + ".",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(chain_report(run_chain_bench())))
