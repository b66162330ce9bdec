"""End-to-end runs of the template's state machine on moto, through the local runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from elea_local.lambdas import Interceptor, call_through
from elea_local.runner import LocalChain, LocalRunResult

UAI = "0750654D"
# The basin an operator names (`run --basin 3`) so that a school's first run registers it.
BASIN = "3"
# Small chunks so that a 50-people roster crosses several Map iterations; the basin platform of
# UAI's department (75) and BASIN, where its registration puts its management account.
E2E_PARAMETERS = {"ChunkSize": "20", "PlatformId": "idf-75-3"}


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


class OperatorChain(LocalChain):
    """The chain as an operator runs it: with `--basin`, so an unregistered school is registered."""

    def run_file(
        self, path: Path, uai: str, *, deliveries: int = 1, basin: str | None = BASIN, dry_run: bool = False
    ) -> LocalRunResult:
        return super().run_file(path, uai, deliveries=deliveries, basin=basin, dry_run=dry_run)


@pytest.fixture
def make_chain(state_dir: Path) -> Callable[..., LocalChain]:
    def make(interceptor: Interceptor = call_through) -> LocalChain:
        return OperatorChain(state_dir, parameter_overrides=E2E_PARAMETERS, interceptor=interceptor)

    return make


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def write(name: str, body: bytes) -> Path:
        folder = (
            tmp_path / "drops" / str(len(list((tmp_path / "drops").glob("*"))) if (tmp_path / "drops").exists() else 0)
        )
        folder.mkdir(parents=True)
        path = folder / name
        path.write_bytes(body)
        return path

    return write
