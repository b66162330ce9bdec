"""The Moodle under contract: the fake by default; a real Moodle when ELEA_MOODLE_URL and ELEA_MOODLE_TOKEN
are set (`make test-moodle`). ELEA_MOODLE_TOKEN_NOCAP (a token whose account has only webservice/rest:use)
enables the capability tests there."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from elea.dal.moodle.web_service import MoodleWebService
from tests.fakes.fake_moodle import FakeMoodle


@dataclass
class MoodleUnderTest:
    url: str
    token: str
    nocap_token: str | None
    fake: FakeMoodle | None  # None: a real Moodle

    @property
    def live(self) -> bool:
        return self.fake is None

    def client(self, token: str | None = None) -> MoodleWebService:
        # A real Moodle hashing passwords on 2 cores can take seconds per call.
        return MoodleWebService(self.url, token or self.token, timeout_seconds=120, max_attempts=2)


@pytest.fixture
def moodle() -> Iterator[MoodleUnderTest]:
    url, token = os.environ.get("ELEA_MOODLE_URL", ""), os.environ.get("ELEA_MOODLE_TOKEN", "")
    if url and token:
        yield MoodleUnderTest(url, token, os.environ.get("ELEA_MOODLE_TOKEN_NOCAP") or None, None)
        return
    fake = FakeMoodle()
    try:
        yield MoodleUnderTest(fake.url, fake.token, fake.token_nocap, fake)
    finally:
        fake.stop()


@pytest.fixture
def ws(moodle: MoodleUnderTest) -> Iterator[MoodleWebService]:
    client = moodle.client()
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def nocap_ws(moodle: MoodleUnderTest) -> Iterator[MoodleWebService]:
    if moodle.nocap_token is None:
        pytest.skip("ELEA_MOODLE_TOKEN_NOCAP is not set")
    client = moodle.client(moodle.nocap_token)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def unique() -> str:
    """A prefix no earlier run used: live runs leave their accounts behind (Moodle accounts are never deleted)."""
    return "ct" + secrets.token_hex(4)
