"""The `fake_moodle` pytest fixture: a fresh fake site per test, stopped after it (imported by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.fake_moodle.server import FakeMoodle


@pytest.fixture
def fake_moodle() -> Iterator[FakeMoodle]:
    fake = FakeMoodle()
    try:
        yield fake
    finally:
        fake.stop()
