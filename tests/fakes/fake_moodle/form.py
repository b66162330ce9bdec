"""PHP's reading of a form post: `users[0][username]=x` into nested arrays, cut at max_input_vars."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

_PART = re.compile(r"\[([^\]]*)\]")


def read_form(body: bytes, max_input_vars: int) -> dict[str, Any]:
    """PHP silently drops the variables past the limit (a warning in its log only). It registers a variable
    before counting it, so a POST keeps max_input_vars + 1 of them (measured on the peer: the 5001st is read,
    the 5002nd is not)."""
    pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True)[: max_input_vars + 1]
    root: dict[str, Any] = {}
    for name, value in pairs:
        base, _, rest = name.partition("[")
        keys = [base, *_PART.findall("[" + rest)] if rest else [base]
        node = root
        for key in keys[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        node[keys[-1]] = value
    return root


def as_list(value: Any) -> list[Any] | None:
    """A PHP array given as users[0]..., in its order; None when it is not an array."""
    if isinstance(value, dict):
        return list(value.values())
    return None
