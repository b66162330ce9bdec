"""End-to-end runs of the template's state machine on moto, through the local runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from elea_local.lambdas import Interceptor, call_through
from elea_local.runner import LocalChain

UAI = "0750654D"
# Small chunks so that a 50-people roster crosses several Map iterations.
E2E_PARAMETERS = {"ChunkSize": "20"}


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    return tmp_path / "state"


@pytest.fixture
def make_chain(state_dir: Path) -> Callable[..., LocalChain]:
    def make(interceptor: Interceptor = call_through) -> LocalChain:
        return LocalChain(state_dir, parameter_overrides=E2E_PARAMETERS, interceptor=interceptor)

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
