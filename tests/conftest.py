"""Fixtures shared by every test folder (unit, integration, contract, e2e)."""

from collections.abc import Iterator

import pytest

from elea_local.moto_seam import moto_transactions_journaled
from tests.fakes.fake_moodle.plugin import fake_moodle

__all__ = ["fake_moodle", "moto_transactions_item_by_item"]


@pytest.fixture(autouse=True)
def moto_transactions_item_by_item() -> Iterator[None]:
    """moto's TransactWriteItems otherwise copies whole tables per call (seam 7 of elea_local.moto_seam)."""
    with moto_transactions_journaled():
        yield
