"""Our whole chain against a real Moodle, side by side with Moodle's own CLI bulk upload (issue 7, item 11).

Given a real Moodle (`MOODLE_URL`, `ELEA_MOODLE_TOKEN` of the integration account, its tree `MOODLE_DIR`) and
`MOODLE_RESET_COMMAND`, a command that puts that Moodle back to its fresh install (for the team's peer:
its `reset.sh`), each repetition runs both sides on a freshly reset Moodle, in alternating order:

- ours: `LocalChain.run_file` (what `elea-import run FILE --uai UAI --basin 3 --moodle URL` runs: moto, the
  template's ASL, the handlers in-process), in a fresh child process, on the bundled sample: first import,
  the same file again, once more, then export-changed.csv;
- Moodle's CLI: `php MOODLE_DIR/admin/tool/uploaduser/cli/uploaduser.php` (add new and update existing,
  override with file) on the same people, converted by our own parser and mapping: same usernames, names,
  Ids, auth, profile (institution), e-mails (placeholders where ours uses them) and cohorts `{UAI}${class}`.

After each side's changed export, the Moodle is read back through its web services: how many of the
leavers are still active, and how many memberships of the school's class cohorts the changed export no
longer lists (a class move leaves one behind). The CLI does neither of those jobs; ours must.
Targets: first import ≤ 1.0× the CLI's time, unchanged re-import ≤ 1.0× the CLI's re-run (medians).
Without the environment the section is skipped with one line, and BENCHMARKS.md keeps its figures.
`MOODLE_BENCH_RUNS` sets the repetitions (default 3); `MOODLE_PHP` the PHP binary (default `php` on PATH).
"""

from __future__ import annotations

import csv
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from elea.dal.moodle.mapping import MoodleMapping
from elea.dal.moodle.web_service import MoodleWebService
from elea.models.person import Profile
from elea.roster.reader import read_roster
from tests.fakes.fake_moodle.server import READ_FUNCTIONS
from tests.fixtures.ent_export import EntAccount, render_ent
from tests.fixtures.generator import SAMPLE_DIR

UAI = "0771234Y"
BASIN = "3"
IMPORTED = (Profile.STUDENT, Profile.TEACHER, Profile.PERSONNEL)  # the template's ImportedProfiles default
STEPS = ("first", "unchanged", "unchanged again", "changed")
FILES = {
    "first": "export.csv",
    "unchanged": "export.csv",
    "unchanged again": "export.csv",
    "changed": "export-changed.csv",
}
TARGETS = {"first": 1.0, "unchanged": 1.0}
DEFAULT_RUNS = 3
_WARM_UP = [
    EntAccount(id="w1", profile="student", last_name="Martin", first_name="Léa", login="lea.martin", classes=("6A",)),
    EntAccount(id="w2", profile="teacher", last_name="Durand", first_name="Noé", login="noe.durand", classes=("6A",)),
]
_REQUIRED = ("MOODLE_URL", "ELEA_MOODLE_TOKEN", "MOODLE_DIR", "MOODLE_RESET_COMMAND")
_UPLOADUSER = "admin/tool/uploaduser/cli/uploaduser.php"
# Add new and update existing users, override with the file, never delete; new users' passwords (none
# here: every account is auth cas) would be made by cron.
_CLI_OPTIONS = ("--uutype=2", "--uuupdatetype=1", "--uupasswordnew=1", "--uuallowsuspends=1", "--uuallowdeletes=0")


# --- the environment -------------------------------------------------------------------------------------


def _missing() -> str | None:
    absent = [name for name in _REQUIRED if not os.environ.get(name)]
    if absent:
        return f"skipped: set {', '.join(absent)} (a real Moodle, its tree and a reset command) to run it"
    if not (Path(os.environ["MOODLE_DIR"]) / _UPLOADUSER).is_file():
        return f"skipped: MOODLE_DIR has no {_UPLOADUSER}"
    if shutil.which(_php()) is None:
        return f"skipped: no PHP binary {_php()!r} (MOODLE_PHP)"
    return None


def _php() -> str:
    return os.environ.get("MOODLE_PHP") or "php"


def _reset() -> None:
    subprocess.run(shlex.split(os.environ["MOODLE_RESET_COMMAND"]), check=True, capture_output=True)


# --- the same people for Moodle's CLI -----------------------------------------------------------------------


def uploaduser_rows(export: Path, mapping: MoodleMapping | None = None) -> list[dict[str, str]]:
    """The people our import writes, as tool_uploaduser rows: our parser, our mapping, our e-mail rule."""
    mapping = mapping or MoodleMapping()
    rows: list[dict[str, str]] = []
    taken: set[str] = set()
    for person in read_roster(export).people:
        if person.profile not in IMPORTED or person.login is None:
            continue
        username = person.login.lower()
        email = person.email or ""
        if not mapping.is_deliverable(email) or email.lower() in taken:
            email = mapping.placeholder_email(username, UAI)
        taken.add(email.lower())
        row = {
            "username": username,
            "firstname": person.first_name,
            "lastname": person.last_name,
            "email": email,
            "idnumber": person.id,
            "auth": mapping.ent_auth,
            "institution": mapping.institution_of(person.profile),
        }
        row |= {f"cohort{n}": f"{UAI}${name}" for n, name in enumerate(person.classes, start=1)}
        rows.append(row)
    return rows


def write_uploaduser_csv(export: Path, target: Path) -> int:
    rows = uploaduser_rows(export)
    width = max((sum(1 for key in row if key.startswith("cohort")) for row in rows), default=0)
    columns = ["username", "firstname", "lastname", "email", "idnumber", "auth", "institution"]
    columns += [f"cohort{n}" for n in range(1, width + 1)]
    with target.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _cli_run(upload: Path) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run(
        [_php(), str(Path(os.environ["MOODLE_DIR"]) / _UPLOADUSER), f"--file={upload}", *_CLI_OPTIONS],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    totals = {
        key.removeprefix("Users ").lower(): int(value)
        for key, _, value in (line.partition(": ") for line in done.stdout.splitlines())
        if key in ("Users created", "Users updated", "Errors") and value.strip().isdigit()
    }
    if done.returncode != 0 or "created" not in totals:
        raise RuntimeError(f"uploaduser.php failed (exit {done.returncode}): {done.stdout[-500:]}{done.stderr[-500:]}")
    return {"seconds": seconds, "outcome": totals}


def _cli_side(directory: Path) -> dict[str, Any]:
    uploads = {}
    for name in set(FILES.values()):
        uploads[name] = directory / f"uploaduser-{name}"
        write_uploaduser_csv(SAMPLE_DIR / name, uploads[name])
    steps = {step: _cli_run(uploads[FILES[step]]) for step in STEPS}
    return {"steps": steps, "after_changed": _left_behind()}


# --- ours, in a fresh child process --------------------------------------------------------------------------


@contextmanager
def counted_calls() -> Iterator[Callable[[], dict[str, Any]]]:
    """Counts every web-service call of the process, and the wall time during which at least one was in
    flight (calls sent at once, or from Map iterations on threads, are counted once)."""
    lock = threading.Lock()
    calls: Counter[str] = Counter()
    in_flight = {"calls": 0, "since": 0.0, "seconds": 0.0}
    original = MoodleWebService.call

    def call(self: MoodleWebService, function: str, params: Any) -> Any:
        with lock:
            if in_flight["calls"] == 0:
                in_flight["since"] = time.perf_counter()
            in_flight["calls"] += 1
        try:
            return original(self, function, params)
        finally:
            with lock:
                calls[function] += 1
                in_flight["calls"] -= 1
                if in_flight["calls"] == 0:
                    in_flight["seconds"] += time.perf_counter() - in_flight["since"]

    def snapshot() -> dict[str, Any]:
        with lock:
            figures = {
                "calls": sum(calls.values()),
                "writes": sum(n for name, n in calls.items() if name not in READ_FUNCTIONS),
                "moodle_seconds": in_flight["seconds"],
                "by_function": dict(sorted(calls.items())),
            }
            calls.clear()
            in_flight["seconds"] = 0.0
        return figures

    MoodleWebService.call = call  # type: ignore[method-assign]
    try:
        yield snapshot
    finally:
        MoodleWebService.call = original  # type: ignore[method-assign]


def _ours_child(state_dir: Path) -> dict[str, Any]:
    imported = time.perf_counter()
    from elea_local.runner import LocalChain

    imports = time.perf_counter() - imported
    # A fresh process's one-time costs (moto's ASL interpreter, botocore's models, the handlers' modules),
    # paid by a 2-person import on the embedded platform, so that every measured step runs in a warm process
    # as in `elea-import serve`; reported on their own.
    warm_up = state_dir.parent / "warm-up"
    warm_up.mkdir()
    (warm_up / "export.csv").write_bytes(render_ent(_WARM_UP))
    started = time.perf_counter()
    LocalChain(warm_up / "state").run_file(warm_up / "export.csv", UAI, basin=BASIN)
    cold = {"imports_seconds": imports, "warm_up_seconds": time.perf_counter() - started}
    steps: dict[str, Any] = {}
    with counted_calls() as snapshot:
        chain = LocalChain(state_dir, moodle_url=os.environ["MOODLE_URL"])
        for step in STEPS:
            started, cpu = time.perf_counter(), time.process_time()
            result = chain.run_file(SAMPLE_DIR / FILES[step], UAI, basin=BASIN)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            record = result.record
            if record is None or record.counts is None or record.status.value != "completed":
                raise RuntimeError(f"the benchmark import did not complete: {result.execution_statuses}")
            outcome = {key: value for key, value in record.counts.model_dump().items() if value}
            steps[step] = {"seconds": seconds, "cpu_seconds": cpu, "outcome": outcome, **snapshot()}
    return {"steps": steps, "after_changed": _left_behind(), "cold": cold}


def _ours_side(directory: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.moodle_vs_cli_bench", "--child", str(directory / "state")],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"our side failed: {done.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


# --- what each side left behind ------------------------------------------------------------------------------


def _left_behind() -> dict[str, int]:
    """After the changed export: leavers still active, and class memberships the changed export no longer lists."""
    before = {row["username"]: row for row in uploaduser_rows(SAMPLE_DIR / FILES["first"])}
    after = {row["username"]: row for row in uploaduser_rows(SAMPLE_DIR / FILES["changed"])}
    wanted = {(name, value) for name, row in after.items() for key, value in row.items() if key.startswith("cohort")}
    ws = MoodleWebService(os.environ["MOODLE_URL"], os.environ["ELEA_MOODLE_TOKEN"], timeout_seconds=120)
    try:
        leavers = ws.users_by_field("username", sorted(set(before) - set(after)))
        cohorts = {c.id: c.idnumber for c in ws.search_cohorts(UAI) if c.idnumber.startswith(f"{UAI}$")}
        members = ws.cohort_members(sorted(cohorts))
        ids = sorted({user for users in members.values() for user in users})
        usernames = {user.id: user.username for user in ws.users_by_field("id", ids)} if ids else {}
    finally:
        ws.close()
    pairs = [(usernames.get(user), cohorts[cohort]) for cohort, users in members.items() for user in users]
    return {
        "leavers": len(set(before) - set(after)),
        "leavers_active": sum(1 for user in leavers if not user.suspended),
        # Class moves: a listed person still in a class cohort the changed export no longer gives them.
        "stale_memberships": sum(1 for pair in pairs if pair[0] in after and pair not in wanted),
        "leaver_memberships": sum(1 for pair in pairs if pair[0] in before and pair[0] not in after),
    }


# --- the section ---------------------------------------------------------------------------------------------


def run_moodle_vs_cli_bench() -> dict[str, Any]:
    skipped = _missing()
    if skipped is not None:
        return {"skipped": skipped}
    runs = int(os.environ.get("MOODLE_BENCH_RUNS") or DEFAULT_RUNS)
    samples: dict[str, list[dict[str, Any]]] = {"ours": [], "cli": []}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="elea-bench-moodle-cli-") as folder:
        for run in range(runs):
            sides = (("ours", _ours_side), ("cli", _cli_side))
            for name, side in sides if run % 2 == 0 else tuple(reversed(sides)):
                directory = Path(folder) / f"{name}-{run}"
                directory.mkdir()
                _reset()
                samples[name].append(side(directory))
        _reset()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "runs": runs,
        "load": (round(load_before, 1), round(os.getloadavg()[0], 1)),
        "people": len(uploaduser_rows(SAMPLE_DIR / FILES["first"])),
        "ours": _medians(samples["ours"]),
        "cli": _medians(samples["cli"]),
        "samples": samples,
    }


def _medians(samples: list[dict[str, Any]]) -> dict[str, Any]:
    steps = {}
    for step in STEPS:
        runs = [sample["steps"][step] for sample in samples]
        steps[step] = {
            **runs[-1],
            "seconds": statistics.median(run["seconds"] for run in runs),
            "all_seconds": [round(run["seconds"], 2) for run in runs],
        }
        for measure in ("moodle_seconds", "cpu_seconds"):
            if measure in runs[0]:
                steps[step][measure] = statistics.median(run[measure] for run in runs)
    medians: dict[str, Any] = {"steps": steps, "after_changed": samples[-1]["after_changed"]}
    if "cold" in samples[0]:
        medians["cold"] = {
            key: statistics.median(sample["cold"][key] for sample in samples) for key in samples[0]["cold"]
        }
    return medians


_LABELS = {
    "first": "first import (reset Moodle)",
    "unchanged": "same file again",
    "unchanged again": "same file a third time",
    "changed": "changed export",
}


def moodle_vs_cli_report(figures: dict[str, Any]) -> list[str]:
    if "skipped" in figures:
        return [str(figures["skipped"])]
    ours, cli = figures["ours"]["steps"], figures["cli"]["steps"]
    lines = [
        f"Measured {figures['date']} on {figures['machine']} (2 cores shared with other sessions and the Moodle;",
        f"load average {figures['load'][0]} at the start, {figures['load'][1]} at the end),",
        "by `make bench` (bench/moodle_vs_cli_bench.py) against a real Moodle 4.5 on loopback: the bundled sample,",
        f"{figures['people']} people (export.csv, then export-changed.csv), medians of {figures['runs']} runs, the",
        "Moodle reset before each side. Ours: `LocalChain.run_file` as `elea-import run FILE --uai UAI --basin 3",
        "--moodle URL` runs it (moto, the template's ASL, handlers in-process; each run's local AWS set-up and",
        "state load/save included), in a process that already ran one import (as `elea-import serve` keeps one).",
        "Moodle's CLI: `php admin/tool/uploaduser/cli/uploaduser.php --uutype=2 --uuupdatetype=1` on the same",
        "people, one process per step (PHP start and Moodle's bootstrap included).",
        "",
        "| step | ours | of which Moodle calls in flight | our process's CPU | our calls (writes) | our outcome "
        "| Moodle's CLI | CLI outcome | ratio | target | |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for step in STEPS:
        mine, theirs = ours[step], cli[step]
        ratio = mine["seconds"] / theirs["seconds"]
        target = TARGETS.get(step)
        verdict = "" if target is None else ("pass" if ratio <= target else "FAIL")
        outcome = ", ".join(f"{value} {key}" for key, value in mine["outcome"].items())
        theirs_outcome = ", ".join(f"{value} {key}" for key, value in theirs["outcome"].items())
        lines.append(
            f"| {_LABELS[step]} | {mine['seconds']:.2f} s | {mine['moodle_seconds']:.2f} s "
            f"| {mine['cpu_seconds']:.2f} s | {mine['calls']} ({mine['writes']}) | {outcome} "
            f"| {theirs['seconds']:.2f} s | {theirs_outcome} | {ratio:.2f}× | "
            f"{'' if target is None else f'≤ {target:.1f}×'} | {verdict} |"
        )
    mine_left, theirs_left = figures["ours"]["after_changed"], figures["cli"]["after_changed"]
    rewritten = cli["unchanged"]["outcome"].get("updated", 0)
    if rewritten:
        steady = ours["unchanged again"]["seconds"] / cli["unchanged again"]["seconds"]
        lines += [
            "",
            f"The CLI's re-run updated {rewritten} accounts though nothing changed (a field this Moodle's tree",
            "rewrites at creation), so it was slower than a stock Moodle's would be: like its third run, where",
            f"ours takes {steady:.2f}× the CLI's time.",
        ]
    lines += [
        "",
        f"After the changed export ({mine_left['leavers']} leavers): ours left {mine_left['leavers_active']} of them "
        f"active and {mine_left['stale_memberships']} stale class memberships of listed people (class moves); "
        f"Moodle's CLI left {theirs_left['leavers_active']} active and {theirs_left['stale_memberships']} stale "
        "memberships (it neither suspends leavers nor removes memberships). The leavers' own class memberships "
        f"stay on both sides (ours {mine_left['leaver_memberships']}, CLI {theirs_left['leaver_memberships']}): "
        "ours suspends the account and takes it off the school's roster cohort, keeping its history.",
        "",
        f"A fresh `elea-import run` process pays, once, {figures['ours']['cold']['imports_seconds']:.2f} s of "
        f"imports and {figures['ours']['cold']['warm_up_seconds']:.2f} s more for its first import (moto's",
        "Step Functions interpreter and botocore's service models, loaded on first use; measured on a 2-person",
        "import on the embedded platform): local tooling only, not counted above (a deployed chain has no moto,",
        "though its Lambdas have cold starts of their own).",
        "",
        "Every run (seconds): "
        + "; ".join(
            f"{_LABELS[step]}: ours {', '.join(map(str, ours[step]['all_seconds']))}, "
            f"CLI {', '.join(map(str, cli[step]['all_seconds']))}"
            for step in STEPS
        ),
        "",
        "Our calls by function:",
        "",
    ]
    for step in STEPS:
        by_function = ", ".join(f"{name} {count}" for name, count in ours[step]["by_function"].items())
        lines.append(f"- {_LABELS[step]}: {by_function}")
    return lines


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_ours_child(Path(sys.argv[2]))))
    else:
        print("\n".join(moodle_vs_cli_report(run_moodle_vs_cli_bench())))
