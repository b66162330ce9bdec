"""Moodle's form encoding and the batches that keep each post under max_input_vars."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from elea.dal.moodle.form_encoding import VAR_BUDGET, batches, flatten, var_count


def test_nested_params_flatten_to_moodle_form_names() -> None:
    params = {
        "users": [{"username": "a.b", "preferences": [{"type": "auth_forcepasswordchange", "value": 1}]}],
        "flag": True,
        "skipped": None,
    }
    assert flatten(params) == [
        ("users[0][username]", "a.b"),
        ("users[0][preferences][0][type]", "auth_forcepasswordchange"),
        ("users[0][preferences][0][value]", "1"),
        ("flag", "1"),
    ]


def test_var_count_counts_leaves() -> None:
    assert var_count({"cohorttype": {"type": "idnumber", "value": "X"}, "usertype": {"type": "u", "value": "y"}}) == 4


@given(st.lists(st.integers(min_value=1, max_value=60), max_size=400), st.integers(min_value=0, max_value=40))
def test_batches_keep_order_and_stay_under_the_budget(sizes: list[int], overhead: int) -> None:
    chunks = list(batches(sizes, lambda size: size, budget=200, overhead=overhead)) if overhead + 60 <= 200 else []
    if overhead + 60 > 200:
        return
    assert [s for chunk in chunks for s in chunk] == sizes
    assert all(overhead + sum(chunk) <= 200 for chunk in chunks)
    assert all(chunk for chunk in chunks)


def test_the_budget_leaves_room_for_the_fixed_variables() -> None:
    assert VAR_BUDGET + 3 < 5000
