"""Fixtures shared by every test folder (unit, integration, contract, e2e)."""

from tests.fakes.fake_moodle.plugin import fake_moodle

__all__ = ["fake_moodle"]
