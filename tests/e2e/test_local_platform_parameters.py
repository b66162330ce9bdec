"""A local platform's own settings (`parameters.json` in its state dir), as a deployed one gets them
from `sam deploy --parameter-overrides`: which profiles are imported, where the safety hold starts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from elea_cli.main import main
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import ent_csv, ent_school

pytestmark = pytest.mark.e2e

# 10 students, 2 teachers, 3 parents
SCHOOL = ent_school(10, teachers=2, relatives=3)


def run_json(export: Path, state: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code = main(["run", str(export), "--uai", UAI, "--basin", "3", "--state-dir", str(state), "--json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else {})


def test_parents_are_skipped_by_default_and_imported_where_the_platform_says_so(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN two local platforms: one with the defaults, one whose parameters import parents too
    default_platform, parents_platform = tmp_path / "default", tmp_path / "with-parents"
    parents_platform.mkdir()
    settings = {"ImportedProfiles": "student,teacher,personnel,relative"}
    (parents_platform / "parameters.json").write_text(json.dumps(settings), encoding="utf-8")
    # WHEN the same export is imported on each
    _, default = run_json(write_file("export.csv", ent_csv(SCHOOL)), default_platform, capsys)
    _, with_parents = run_json(write_file("export.csv", ent_csv(SCHOOL)), parents_platform, capsys)
    # THEN the parents are skipped on the first, created on the second
    assert default["counts"] == {
        "created": 12, "updated": 0, "unchanged": 0, "protected": 0, "suspended": 0, "skipped": 3, "errors": 0,
    }  # fmt: skip
    assert with_parents["counts"] == {
        "created": 15, "updated": 0, "unchanged": 0, "protected": 0, "suspended": 0, "skipped": 0, "errors": 0,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"ImportedProfiles": "student,parent"}, "ImportedProfiles"),
        ({"HoldMinAccounts": -1}, "HoldMinAccounts"),
        ({"ImportedProfile": "student"}, "ImportedProfile"),
        ({"PlatformTarget": "postgres"}, "PlatformTarget"),
        ({"MoodleMaxConcurrency": 50}, "MoodleMaxConcurrency"),
        ({"MoodleEmailPlaceholder": "{username}@ac-creteil.fr"}, "MoodleEmailPlaceholder"),
        ({"MoodleEntAuth": "CAS SSO"}, "MoodleEntAuth"),
        (["student"], "objet JSON"),
    ],
)
def test_a_wrong_local_parameter_is_refused_before_anything_runs(
    settings: object, named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a platform whose parameters.json CloudFormation would refuse
    state = tmp_path / "state"
    state.mkdir()
    (state / "parameters.json").write_text(json.dumps(settings), encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_bytes(ent_csv(SCHOOL))
    # WHEN a run uses it THEN it stops with exit 2, a French message naming the parameter, a stable code
    code = main(["run", str(export), "--uai", UAI, "--basin", "3", "--state-dir", str(state)])
    err = capsys.readouterr().err
    assert code == 2
    assert named in err
    assert "Code : invalid_local_parameters" in err
    assert not (state / "platform-state.json").exists()


def test_a_param_option_sets_a_template_parameter_for_one_run(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a platform with the defaults
    state = tmp_path / "platform"
    # WHEN one run says to import parents, as `sam deploy --parameter-overrides` would
    code = main(
        [
            "run", str(write_file("export.csv", ent_csv(SCHOOL))), "--uai", UAI, "--basin", "3",
            "--state-dir", str(state), "--json",
            "--param", "ImportedProfiles=student,teacher,personnel,relative",
        ]
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    # THEN the parents are created too
    assert code == 0
    assert report["counts"]["created"] == 15
    assert report["counts"]["skipped"] == 0


@pytest.mark.parametrize("param", ["ImportedProfiles=student,parent", "NoSuchParameter=1"])
def test_a_wrong_param_option_is_refused_in_french(
    param: str, tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a value CloudFormation would refuse WHEN given with --param
    export = write_file("export.csv", ent_csv(SCHOOL))
    code = main(
        ["run", str(export), "--uai", UAI, "--basin", "3", "--state-dir", str(tmp_path / "p"), "--param", param]
    )
    # THEN refused before anything runs, in French, with a stable code
    err = capsys.readouterr().err
    assert code == 2
    assert "--param" in err
    assert "Code : invalid_local_parameters" in err


def test_the_users_map_concurrency_comes_from_the_platform_parameters(
    tmp_path: Path, write_file: Callable[[str, bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a platform whose parameters bound the Users Map to one chunk at a time (chunks of 5)
    state = tmp_path / "one-at-a-time"
    state.mkdir()
    settings = {"MoodleMaxConcurrency": 1, "ChunkSize": 5}
    (state / "parameters.json").write_text(json.dumps(settings), encoding="utf-8")
    # WHEN an import runs THEN the state machine accepts the substituted number and imports everyone
    code, report = run_json(write_file("export.csv", ent_csv(SCHOOL)), state, capsys)
    assert code == 0
    assert report["counts"]["created"] == 12  # type: ignore[index]
    from elea_local.runner import LocalChain

    definition = json.loads(LocalChain(state).stack.definition)
    assert definition["States"]["Prepare"]["Parameters"]["limits"] == {
        "users_max_concurrency.$": "States.StringToJson('1')"
    }
