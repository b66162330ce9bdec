"""Moodle REST's form encoding of nested parameters, and batches that stay under PHP's max_input_vars.

PHP silently drops every form variable past `max_input_vars` (Moodle requires 5000): a large post is not
refused, it is cut. So every call is sized by its count of flattened variables, never by its count of items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

MAX_INPUT_VARS = 5000
# wstoken, wsfunction, moodlewsrestformat: sent with every call.
FIXED_VARS = 3
# Kept free under the limit, in case a proxy or Moodle adds a variable of its own.
_MARGIN = 100
VAR_BUDGET = MAX_INPUT_VARS - FIXED_VARS - _MARGIN

T = TypeVar("T")


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """users=[{"username": "x"}] -> [("users[0][username]", "x")]; booleans as 1/0; None omitted."""
    pairs: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            pairs += flatten(item, f"{prefix}[{key}]" if prefix else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            pairs += flatten(item, f"{prefix}[{index}]")
    elif isinstance(value, bool):
        pairs.append((prefix, "1" if value else "0"))
    elif value is not None:
        pairs.append((prefix, str(value)))
    return pairs


def var_count(value: Any) -> int:
    return len(flatten(value, "x"))


def batches(
    items: Sequence[T], size_of: Callable[[T], int], *, budget: int = VAR_BUDGET, overhead: int = 0
) -> Iterator[list[T]]:
    """Consecutive slices of `items` whose variables (plus `overhead`, the call's other parameters) fit `budget`."""
    batch: list[T] = []
    used = overhead
    for item in items:
        size = size_of(item)
        if overhead + size > budget:
            raise ValueError("one item alone exceeds max_input_vars")
        if batch and used + size > budget:
            yield batch
            batch, used = [], overhead
        batch.append(item)
        used += size
    if batch:
        yield batch
