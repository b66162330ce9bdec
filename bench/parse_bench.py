"""Parsing a 100,000-row ENT export: our reader against plain csv.reader over the same bytes.

Times are medians of interleaved runs (ours, plain, ours, plain…), so a neighbour's load hits both
alike. Wall-clock and CPU (process) time are both kept: on a shared machine the CPU time is the
steadier figure. Peak memory is the ru_maxrss of a fresh child process that only parses the file.
"""

from __future__ import annotations

import csv
import io
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from elea.roster.reader import read_roster
from tests.fixtures.generator import write_big_export

ROWS = 100_000
RUNS = 5
MAX_BYTES = 256 * 1024 * 1024
TARGET_ROWS_PER_SECOND = 100_000
TARGET_RATIO = 4.0
TARGET_PEAK_RSS_MB = 200.0

# The child only imports the reader and parses: its peak RSS is the parse's footprint. Linux's
# VmHWM is the child's own high-water mark; ru_maxrss can carry the parent's over fork and exec.
# Pasted into each bench child (the worst-file bench's too): its own peak RSS in KB.
PEAK_KB_SOURCE = """
import resource

def peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
_CHILD = (
    PEAK_KB_SOURCE
    + """
import json, sys
from pathlib import Path
from elea.roster.reader import read_roster

before = peak_kb()
roster = read_roster(Path(sys.argv[1]), max_bytes=int(sys.argv[2]))
print(json.dumps({"people": len(roster.people), "import_kb": before, "peak_kb": peak_kb()}))
"""
)


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of `action`; its result is freed after the clock stops."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    del result
    return elapsed


def _plain_csv(path: Path) -> None:
    with path.open("rb") as stream:
        for _row in csv.reader(io.TextIOWrapper(stream, encoding="utf-8-sig", newline=""), delimiter=";"):
            pass


def _child_rss(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(MAX_BYTES)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run_parse_bench(rows: int = ROWS, runs: int = RUNS) -> dict[str, Any]:
    """Generates the export in a temporary directory, measures, and returns the figures."""
    with tempfile.TemporaryDirectory(prefix="elea-bench-") as directory:
        path = Path(directory) / "export.csv"
        with path.open("wb") as target:
            write_big_export(target, rows)
        size = path.stat().st_size
        people = len(read_roster(path, max_bytes=MAX_BYTES).people)  # warm-up, and a sanity check
        ours: list[tuple[float, float]] = []
        plain: list[tuple[float, float]] = []
        for _ in range(runs):
            ours.append(_timed(lambda: read_roster(path, max_bytes=MAX_BYTES)))
            plain.append(_timed(lambda: _plain_csv(path)))
        memory = _child_rss(path)

    parse_wall = statistics.median(wall for wall, _ in ours)
    parse_cpu = statistics.median(cpu for _, cpu in ours)
    csv_wall = statistics.median(wall for wall, _ in plain)
    csv_cpu = statistics.median(cpu for _, cpu in plain)
    peak_mb = memory["peak_kb"] / 1024
    figures: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{_cpu_model()}, {platform.machine()}, Python {platform.python_version()}",
        "rows": rows,
        "people": people,
        "file_mb": round(size / 1024 / 1024, 1),
        "runs": runs,
        "parse_wall_s": round(parse_wall, 3),
        "parse_cpu_s": round(parse_cpu, 3),
        "csv_wall_s": round(csv_wall, 3),
        "csv_cpu_s": round(csv_cpu, 3),
        "ratio_wall": round(parse_wall / csv_wall, 2),
        "ratio_cpu": round(parse_cpu / csv_cpu, 2),
        "rows_per_s_wall": round(rows / parse_wall),
        "rows_per_s_cpu": round(rows / parse_cpu),
        "peak_rss_mb": round(peak_mb, 1),
        "import_rss_mb": round(memory["import_kb"] / 1024, 1),
    }
    figures["pass"] = {
        "rows_per_s": figures["rows_per_s_wall"] >= TARGET_ROWS_PER_SECOND,
        "ratio": figures["ratio_cpu"] <= TARGET_RATIO,
        "peak_rss": peak_mb <= TARGET_PEAK_RSS_MB,
    }
    return figures


def parse_report(figures: dict[str, Any]) -> list[str]:
    """The Markdown lines of the section (printed by `make bench`, written into BENCHMARKS.md)."""

    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    passed = figures["pass"]
    return [
        f"Measured {figures['date']} on {figures['machine']} (2 cores shared with other sessions).",
        f"Input: {figures['rows']:,} rows, current ENT format, UTF-8 with BOM, {figures['file_mb']} MB "
        f"({figures['people']:,} people read). Medians of {figures['runs']} interleaved runs.",
        "",
        "| measure | value | target | result |",
        "|---|---|---|---|",
        f"| `read_roster` wall time | {figures['parse_wall_s']} s | | |",
        f"| `read_roster` CPU time | {figures['parse_cpu_s']} s | | |",
        f"| plain `csv.reader` wall / CPU time | {figures['csv_wall_s']} s / {figures['csv_cpu_s']} s | | |",
        f"| rows per second (wall) | {figures['rows_per_s_wall']:,} | ≥ {TARGET_ROWS_PER_SECOND:,} "
        f"| {verdict(passed['rows_per_s'])} |",
        f"| ratio to `csv.reader` (CPU) | {figures['ratio_cpu']}× | ≤ {TARGET_RATIO}× | {verdict(passed['ratio'])} |",
        f"| ratio to `csv.reader` (wall) | {figures['ratio_wall']}× | | |",
        f"| peak RSS of a process that only parses | {figures['peak_rss_mb']} MB | ≤ {TARGET_PEAK_RSS_MB:.0f} MB "
        f"| {verdict(passed['peak_rss'])} |",
        f"| of which interpreter and imports | {figures['import_rss_mb']} MB | | |",
        "",
        "Parse time runs from the `read_roster(path)` call to its return (the roster is freed after the clock",
        "stops); plain is `csv.reader` over a `TextIOWrapper(utf-8-sig)` of the same file, rows dropped. The",
        "ratio target is judged on CPU time, which a neighbour's load on the shared cores does not inflate.",
    ]
