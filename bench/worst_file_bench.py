"""The worst export for row issues (issue 9): 1,000,000 lines of bare separators under the current
ENT header, 16 MB, inside the 20 MB upload limit. Before the error cap it took 1.5 GB to parse, 4 GB
to run and wrote a 163 MB report; now it is refused as « trop d'erreurs » after MaxRowErrors errors.

Each measure runs in a fresh child process (parse alone: `read_roster`; run: the whole local chain,
`LocalChain.run_file`, moto and the in-process handlers included), and reports its own peak RSS
(Linux VmHWM), its wall time, the refusal code and the size of the report files.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.parse_bench import PEAK_KB_SOURCE
from tests.fixtures.ent_export import HEADERS, EntAccount, Generation, Language, render_ent

LINES = 1_000_000
MAX_BYTES = 20 * 1024 * 1024
TARGET_PEAK_RSS_MB = 300.0
UAI = "0771234Y"
_ONE = EntAccount(id="b1", profile="student", last_name="Martin", first_name="Léa", login="lea.martin", classes=("6A",))
_TWO = EntAccount(id="b2", profile="teacher", last_name="Durand", first_name="Noé", login="noe.durand", classes=("6A",))

_PARSE_CHILD = (
    PEAK_KB_SOURCE
    + """
import json, sys, time
from pathlib import Path
from elea.errors import RosterRefused
from elea.roster.reader import read_roster

started = time.perf_counter()
try:
    roster = read_roster(Path(sys.argv[1]), max_bytes=int(sys.argv[2]))
    code, issues = None, len(roster.issues)
except RosterRefused as refused:
    code, issues = refused.code, 0
print(json.dumps({"code": code, "issues": issues, "seconds": time.perf_counter() - started, "peak_kb": peak_kb()}))
"""
)

_RUN_CHILD = (
    PEAK_KB_SOURCE
    + """
import json, sys, time
from pathlib import Path
from elea_local.runner import LocalChain

started = time.perf_counter()
result = LocalChain(Path(sys.argv[2])).run_file(Path(sys.argv[1]), sys.argv[3], basin="3")
record = result.record
print(json.dumps({
    "status": None if record is None else record.status.value,
    "code": None if record is None or record.failure is None else record.failure.code,
    "report_bytes": {path.name: path.stat().st_size for path in result.report_files},
    "seconds": time.perf_counter() - started,
    "peak_kb": peak_kb(),
}))
"""
)


def write_worst_file(path: Path, lines: int = LINES) -> None:
    header = ";".join(f'"{cell}"' for cell in HEADERS[(Generation.CURRENT, Language.FRENCH)])
    separators = ";" * header.count(";") + "\r\n"
    with path.open("wb") as target:
        target.write(("\ufeff" + header + "\r\n").encode("utf-8"))
        target.write(separators.encode("ascii") * lines)


def _child(code: str, *args: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def run_worst_file_bench(lines: int = LINES) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="elea-bench-worst-") as directory:
        path = Path(directory) / "export.csv"
        write_worst_file(path, lines)
        size = path.stat().st_size
        parse = _child(_PARSE_CHILD, str(path), str(MAX_BYTES))
        run = _child(_RUN_CHILD, str(path), str(Path(directory) / "state"), UAI)
        # The same chain on a 2-row export: what the local stack (moto, the handlers) costs by itself.
        small = Path(directory) / "small" / "export.csv"
        small.parent.mkdir()
        small.write_bytes(render_ent([_ONE, _TWO]))
        baseline = _child(_RUN_CHILD, str(small), str(Path(directory) / "state-small"), UAI)
    figures: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "lines": lines,
        "file_mb": round(size / 1024 / 1024, 1),
        "parse": {**parse, "peak_rss_mb": round(parse["peak_kb"] / 1024, 1), "seconds": round(parse["seconds"], 2)},
        "run": {**run, "peak_rss_mb": round(run["peak_kb"] / 1024, 1), "seconds": round(run["seconds"], 2)},
        "baseline": {
            **baseline,
            "peak_rss_mb": round(baseline["peak_kb"] / 1024, 1),
            "seconds": round(baseline["seconds"], 2),
        },
    }
    figures["pass"] = {
        "parse": figures["parse"]["peak_rss_mb"] <= TARGET_PEAK_RSS_MB and parse["code"] == "too_many_errors",
        "run": figures["run"]["peak_rss_mb"] <= TARGET_PEAK_RSS_MB and run["code"] == "too_many_errors",
    }
    return figures


def worst_file_report(figures: dict[str, Any]) -> list[str]:
    def verdict(ok: bool) -> str:
        return "pass" if ok else "FAIL"

    parse, run, passed, baseline = figures["parse"], figures["run"], figures["pass"], figures["baseline"]
    reports = ", ".join(f"{name} {size:,} bytes" for name, size in sorted(run["report_bytes"].items())) or "none"
    return [
        f"Measured {figures['date']} on {figures['machine']} (2 cores shared with other sessions).",
        f"Input: {figures['lines']:,} lines of bare separators under the current ENT header, "
        f"{figures['file_mb']} MB (inside the 20 MB limit). Each measure in a fresh child process.",
        "",
        "| measure | outcome | wall time | peak RSS | target | result |",
        "|---|---|---|---|---|---|",
        f"| parse (`read_roster`) | refused `{parse['code']}` | {parse['seconds']} s | {parse['peak_rss_mb']} MB "
        f"| ≤ {TARGET_PEAK_RSS_MB:.0f} MB | {verdict(passed['parse'])} |",
        f"| run (`LocalChain.run_file`, whole chain on moto) | {run['status']} `{run['code']}` | {run['seconds']} s "
        f"| {run['peak_rss_mb']} MB | ≤ {TARGET_PEAK_RSS_MB:.0f} MB | {verdict(passed['run'])} |",
        f"| the same run on a 2-row export (the local stack alone) | {baseline['status']} | {baseline['seconds']} s "
        f"| {baseline['peak_rss_mb']} MB | | |",
        "",
        f"What the worst file adds to a run: {round(run['peak_rss_mb'] - baseline['peak_rss_mb'], 1)} MB over the "
        "local stack's own footprint (moto's Lambda mock loads its EC2 instance-type tables, about 100 MB of",
        "JSON, which no deployed function holds); the Parse function's own share is the parse row.",
        f"Report files of the run: {reports}. Before the error cap (MaxRowErrors, default 1,000) the same",
        "file took 1.5 GB to parse, 4 GB to run and wrote a 163 MB report.",
    ]
