"""Identities end to end: the same people re-exported in NFD (a Mac), or with logins in another case,
are "unchanged" on re-import, never new accounts or cohorts."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from elea_local.runner import LocalChain
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import ent_csv, ent_school

pytestmark = pytest.mark.e2e

# Accented names and classes, so that NFC and NFD differ.
SCHOOL = [
    replace(row, last_name=f"{row.last_name}-Lefèvre", first_name=f"Hélène {row.first_name}", classes=("3ÈME A",))
    for row in ent_school(24, teachers=2)
]


def test_an_nfd_re_export_with_logins_in_capitals_is_unchanged(
    make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    # GIVEN a school imported from its export (NFC, as the ENT writes it)
    chain = make_chain()
    first = chain.run_file(write_file("export.csv", ent_csv(SCHOOL)), UAI)
    assert first.record is not None
    assert first.record.counts is not None
    assert first.record.counts.created == len(SCHOOL)
    # WHEN the same people come back re-exported in NFD, their logins in capitals
    again = [replace(row, login=row.login.upper()) for row in SCHOOL]
    nfd = unicodedata.normalize("NFD", ent_csv(again).decode("utf-8")).encode("utf-8")
    assert nfd != ent_csv(again)
    result = chain.run_file(write_file("export.csv", nfd), UAI)
    # THEN everyone is unchanged, no cohort is created, and nothing is reported as an issue
    assert result.record is not None
    assert result.record.counts is not None
    assert result.record.counts.model_dump() == {
        "created": 0, "updated": 0, "unchanged": len(SCHOOL), "protected": 0, "suspended": 0, "skipped": 0, "errors": 0,
    }  # fmt: skip
    assert result.record.cohorts is not None
    assert (result.record.cohorts.created, result.record.cohorts.unchanged) == (0, 1)
