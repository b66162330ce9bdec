"""`python -m bench.run` (what `make bench` calls): runs each bench section, prints it, and
rewrites that section of BENCHMARKS.md. Later work adds its own section to SECTIONS.

    python -m bench.run                 # every section
    python -m bench.run --only Parsing  # sections whose title contains "Parsing"
    python -m bench.run --no-write      # print only
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.chain_bench import chain_report, run_chain_bench
from bench.moodle_calls_bench import moodle_calls_report, run_moodle_calls_bench
from bench.moodle_vs_cli_bench import moodle_vs_cli_report, run_moodle_vs_cli_bench
from bench.parse_bench import parse_report, run_parse_bench
from bench.worst_file_bench import run_worst_file_bench, worst_file_report

BENCHMARKS_FILE = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
_PREAMBLE = (
    "# Benchmarks\n\n"
    "Figures written by `make bench` (`python -m bench.run`); each section is rewritten by its own run.\n"
    "Speed is measured here, never asserted in tests.\n"
)


@dataclass(frozen=True)
class Section:
    title: str
    run: Callable[[], dict[str, Any]]
    report: Callable[[dict[str, Any]], list[str]]


SECTIONS: list[Section] = [
    Section("Parsing (issue 2)", run_parse_bench, parse_report),
    Section("Chain (issue 3)", run_chain_bench, chain_report),
    Section("Worst file (issue 9)", run_worst_file_bench, worst_file_report),
    Section("Moodle web-service calls (issue 7)", run_moodle_calls_bench, moodle_calls_report),
    Section("Real Moodle against its CLI upload (issue 7)", run_moodle_vs_cli_bench, moodle_vs_cli_report),
]


def replace_section(document: str, title: str, body: list[str]) -> str:
    """The document with the `## title` section replaced (or appended), other sections untouched."""
    block = f"## {title}\n\n" + "\n".join(body).rstrip() + "\n"
    lines = document.splitlines(keepends=True)
    heading = f"## {title}"
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        return document.rstrip() + "\n\n" + block
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    after = "".join(lines[end:])
    return "".join(lines[:start]) + block + ("\n" + after if after else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--only", help="run the sections whose title contains this text")
    parser.add_argument("--no-write", action="store_true", help="print the figures without updating BENCHMARKS.md")
    args = parser.parse_args(argv)
    document = BENCHMARKS_FILE.read_text(encoding="utf-8") if BENCHMARKS_FILE.exists() else _PREAMBLE
    for section in SECTIONS:
        if args.only and args.only.lower() not in section.title.lower():
            continue
        print(f"## {section.title} …", flush=True)
        figures = section.run()
        body = section.report(figures)
        print("\n".join(body) + "\n", flush=True)
        if "skipped" not in figures:  # a section that could not run here keeps its last figures
            document = replace_section(document, section.title, body)
    if not args.no_write:
        BENCHMARKS_FILE.write_text(document, encoding="utf-8")
        print(f"Written to {BENCHMARKS_FILE.name}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
