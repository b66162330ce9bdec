"""Adapters are built once per process (a Lambda container, a CLI command), never per call.

`process_cached` memoises a composition root's builder on its (hashable, frozen) settings. The cache is
dropped with the boto3 clients (elea.dal.aws_clients.forget_clients): local tooling and tests start a new
moto mock per run, and adapters built inside the previous one must not outlive it.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from elea.dal.aws_clients import on_forget_clients

F = TypeVar("F", bound=Callable[..., Any])

_lock = threading.Lock()
_cached: list[Any] = []


def process_cached(builder: F) -> F:
    # Map iterations run on threads: the lock keeps one adapter per key even on a cold start.
    memo = functools.cache(builder)
    guard = threading.Lock()

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> Any:
        with guard:
            return memo(*args, **kwargs)

    with _lock:
        _cached.append(memo)
    return build  # type: ignore[return-value]


def clear_process_caches() -> None:
    with _lock:
        for memo in _cached:
            memo.cache_clear()


on_forget_clients(clear_process_caches)
