"""Web-service calls an import makes against Moodle, per 1,000 people, on the fake Moodle (issue 7, item 11).

The whole chain runs as `elea-import run --moodle URL` does (the local runner: moto, the template's ASL,
the handlers in-process, PlatformTarget=moodle), writing over HTTP into the fake web-service server of
tests/fakes/fake_moodle, which counts every call by function. Counted: every call, reads included.

Scenarios on 1,000 people (one Users chunk at the default ChunkSize): a first import, the same file again,
and two changed files of the same size (arrivals, leavers, class moves, new last names: 60 then 300
changes).
Targets: first ≤ 20, unchanged ≤ 5, changed ≤ 10 + 1 per 100 changes.
"""

from __future__ import annotations

import os
import platform
import tempfile
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from elea_local.runner import LocalChain
from tests.fakes.fake_moodle import FakeMoodle
from tests.fixtures.ent_export import EntAccount, render_ent
from tests.fixtures.generator import big_school

UAI = "0771234Y"
PEOPLE = 1000
TARGET_FIRST = 20
TARGET_UNCHANGED = 5
TARGET_CHANGED_BASE = 10


def _changed(school: list[EntAccount], arrivals: list[EntAccount], scale: int) -> tuple[list[EntAccount], int]:
    """`scale` × (1 leaver, 1 arrival, 2 class moves, 1 new last name) among the pupils, so the school keeps
    its size (one Users chunk); returns the rows and the number of changes."""
    pupils = [index for index, account in enumerate(school) if account.profile == "student"]
    classes = sorted({school[index].classes[0] for index in pupils})
    leavers = set(pupils[:scale])
    movers = set(pupils[scale : 3 * scale])
    renamed = set(pupils[3 * scale : 4 * scale])
    rows: list[EntAccount] = []
    for index, account in enumerate(school):
        if index in leavers:
            continue
        if index in movers:
            # To the next existing class: a move, not a new cohort.
            account = replace(account, classes=(classes[(classes.index(account.classes[0]) + 1) % len(classes)],))
        if index in renamed:
            account = replace(account, last_name=f"{account.last_name}-NOUVEAU")
        rows.append(account)
    rows += arrivals[:scale]
    return rows, 5 * scale


def _run(chain: LocalChain, fake: FakeMoodle, directory: Path, name: str, rows: list[EntAccount]) -> dict[str, Any]:
    path = directory / name / "export.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(render_ent(rows))
    fake.reset_calls()
    result = chain.run_file(path, UAI, basin="3")
    record = result.record
    if record is None or record.counts is None or record.status.value != "completed":
        raise RuntimeError(f"the benchmark import did not complete: {result.execution_statuses}")
    calls = Counter(fake.calls)
    total = sum(calls.values())
    return {
        "people": record.people_count,
        "counts": {key: value for key, value in record.counts.model_dump().items() if value},
        "calls": total,
        "writes": fake.write_calls(),
        "users_read": fake.users_asked,
        "per_1000": round(total * 1000 / record.people_count, 1),
        "by_function": dict(sorted(calls.items())),
    }


def run_moodle_calls_bench() -> dict[str, Any]:
    everyone = list(big_school(PEOPLE + 600))
    school, arrivals = everyone[:PEOPLE], everyone[PEOPLE:]
    fake = FakeMoodle()
    previous = os.environ.get("ELEA_MOODLE_TOKEN")
    os.environ["ELEA_MOODLE_TOKEN"] = fake.token
    try:
        with tempfile.TemporaryDirectory(prefix="elea-moodle-bench-") as folder:
            directory = Path(folder)
            chain = LocalChain(directory / "state", moodle_url=fake.url)
            first = _run(chain, fake, directory, "first", school)
            unchanged = _run(chain, fake, directory, "unchanged", school)
            scenarios: list[dict[str, Any]] = [
                {"label": "first import", "target": TARGET_FIRST, **first},
                {"label": "unchanged re-import", "target": TARGET_UNCHANGED, **unchanged},
            ]
            current, fresh = school, iter(arrivals)
            for scale in (12, 60):
                rows, changes = _changed(current, [next(fresh) for _ in range(scale)], scale)
                figures = _run(chain, fake, directory, f"changed-{changes}", rows)
                target = TARGET_CHANGED_BASE + changes // 100
                scenarios.append({"label": f"changed re-import, {changes} changes", "target": target, **figures})
                current = rows
    finally:
        fake.stop()
        if previous is None:
            os.environ.pop("ELEA_MOODLE_TOKEN", None)
        else:
            os.environ["ELEA_MOODLE_TOKEN"] = previous
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.processor() or platform.machine()}, Python {platform.python_version()}",
        "scenarios": scenarios,
    }


def moodle_calls_report(figures: dict[str, Any]) -> list[str]:
    lines = [
        f"Measured {figures['date']} on {figures['machine']}, by `make bench` (bench/moodle_calls_bench.py): the",
        "whole chain (`elea-import run --moodle URL`: moto, the template's ASL, handlers in-process) against the fake",
        "Moodle web-service server (tests/fakes/fake_moodle), which counts every call, reads included.",
        "",
        "| scenario | people | outcome | web-service calls | per 1,000 people | target | | accounts read in Moodle |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scenario in figures["scenarios"]:
        outcome = ", ".join(f"{value} {key}" for key, value in scenario["counts"].items())
        ok = scenario["per_1000"] <= scenario["target"]
        lines.append(
            f"| {scenario['label']} | {scenario['people']} | {outcome} | {scenario['calls']} "
            f"({scenario['writes']} writes) | {scenario['per_1000']} | ≤ {scenario['target']} | "
            f"{'pass' if ok else 'FAIL'} | {scenario.get('users_read', '')} |"
        )
    lines += [
        "",
        "A changed re-import costs the same whatever the number of changes (the batches hold them all). The",
        "Classes step reads the school once (its cohorts, their members, its accounts by id) and stages, beside",
        "each chunk's slice, the school's cohorts with their Moodle ids. The profile lives in institution, which",
        "Moodle keeps at creation (first import 12 → 8 calls); a creation batch is sent with the export's e-mails",
        "as they are, an e-mail lookup made only for a batch Moodle refuses. The Users chunks leave their updates",
        "and class removals to Deprovision's release, which writes them with the suspensions and detachments:",
        "ONE core_user_update_users and ONE core_cohort_delete_cohort_members per import (changed re-imports",
        "14 → 12, 15 → 13). A hold holds the suspensions only: the chunks' updates are written anyway.",
        "What remains, call by call: Classes 5 (search, create the arrivals' new classes, members, users by id",
        "as two calls at once); the Users chunk 3 (the newcomers' usernames: a whole-site lookup no school read can",
        "answer; create; add memberships); Deprovision 2 (one update; one deletion). Who else lists a leaver",
        "comes from the roster mirror in the platform table (elea.ports.roster_mirror: each school's roster as its",
        "import read it, joiners added before their roster pair, leavers removed after), read twice at no call,",
        "so two schools releasing one teacher at once never both keep it active (changed re-imports 12 → 10,",
        "13 → 11). A lost mirror costs calls, never a wrong suspension: a school without a record or a platform",
        "without a census is read in Moodle (search + members, as before), a lost record alone is its roster read.",
        "MoodleParallelCalls (default 2) sends a volume of 200 items or more (users read, created or updated,",
        "members added) as 2 calls at once: 1 or 2 calls more here than one call per volume, for less time in",
        "Moodle on a real site (see the next section); MoodleParallelCalls=1 gives one call per volume.",
        "Accounts read in Moodle (the values core_user_get_users_by_field was asked for, lookups included): each",
        "account of the school's roster keeps a mark in the platform table (elea.ports.account_marks: a",
        "fingerprint of what an import compares, no field itself), and the Classes step reads only those it cannot",
        "vouch for: no mark, a mark the file's person does not match, not in the file, or in this import's",
        "verification turn (MoodleAccountCheckEvery, default 4: every account at least once in 4 imports, so a hand",
        "change is repaired within 4; memberships are read at every import). At about 4 ms of Moodle's CPU per",
        "account read, that is what an unchanged re-import costs on a real Moodle (next section).",
        "",
        "Calls by function:",
        "",
    ]
    for scenario in figures["scenarios"]:
        by_function = ", ".join(f"{name} {count}" for name, count in scenario["by_function"].items())
        lines.append(f"- {scenario['label']}: {by_function}")
    return lines
