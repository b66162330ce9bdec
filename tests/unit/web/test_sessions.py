"""Sessions of the web page: opaque token, digest-only storage, idle expiry, CSRF bound to the session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from elea.web.errors import CsrfInvalid, SessionExpired
from elea.web.session import Session
from elea.web.sessions import Sessions, token_digest


class _Store:
    def __init__(self) -> None:
        self.items: dict[str, Session] = {}

    def put(self, session: Session) -> None:
        self.items[session.token_digest] = session

    def get(self, token_digest: str) -> Session | None:
        return self.items.get(token_digest)

    def touch(self, token_digest: str, at: datetime, expires_at: datetime) -> None:
        if token_digest in self.items:
            self.items[token_digest] = self.items[token_digest].model_copy(
                update={"last_seen": at, "expires_at": expires_at}
            )

    def delete(self, token_digest: str) -> None:
        self.items.pop(token_digest, None)


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 9, 1, 8, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def sessions(clock: _Clock) -> Sessions:
    return Sessions(store=_Store(), idle=timedelta(minutes=30), clock=clock)


def test_the_token_is_random_256_bits_and_only_its_digest_is_stored(sessions: Sessions) -> None:
    first, second = sessions.open("0771234Y"), sessions.open("0771234Y")
    assert first.token != second.token
    assert len(first.token) >= 43  # 32 bytes, URL-safe base64
    store = sessions.store
    assert isinstance(store, _Store)
    assert first.token not in store.items
    assert token_digest(first.token) in store.items
    assert first.csrf_token not in repr(store.items)


def test_use_moves_the_idle_expiry_and_idleness_ends_the_session(sessions: Sessions, clock: _Clock) -> None:
    opened = sessions.open("0771234Y")
    clock.now += timedelta(minutes=29)
    assert sessions.resolve(opened.token).uai == "0771234Y"
    clock.now += timedelta(minutes=29)
    assert sessions.resolve(opened.token).uai == "0771234Y"  # used 29 minutes ago: still alive
    clock.now += timedelta(minutes=31)
    with pytest.raises(SessionExpired):
        sessions.resolve(opened.token)


def test_closed_unknown_and_oversized_tokens_are_expired(sessions: Sessions) -> None:
    opened = sessions.open("0771234Y")
    sessions.close(opened.token)
    for token in (opened.token, None, "", "x" * 500):
        with pytest.raises(SessionExpired):
            sessions.resolve(token)


def test_csrf_is_bound_to_the_session(sessions: Sessions) -> None:
    mine, other = sessions.open("0771234Y"), sessions.open("0771234Y")
    session = sessions.resolve(mine.token)
    Sessions.check_csrf(session, mine.token, mine.csrf_token)
    for header in (None, "", other.csrf_token, mine.token):
        with pytest.raises(CsrfInvalid):
            Sessions.check_csrf(session, mine.token, header)
