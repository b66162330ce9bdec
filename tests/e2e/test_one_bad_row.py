"""One bad row never fails an import: an over-long quoted row (the ENT's fast-path shape) is a row
error with its line, the others are imported, nothing reaches DynamoDB half-written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from elea.models.import_record import ImportStatus
from elea_local.runner import LocalChain
from tests.e2e.conftest import UAI
from tests.fixtures.chain_rosters import ent_csv, ent_school

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("size", [101, 300_000])
def test_an_over_long_name_is_one_row_error_and_the_import_completes(
    size: int, make_chain: Callable[..., LocalChain], write_file: Callable[[str, bytes], Path]
) -> None:
    # GIVEN an export of 10 pupils, the 5th with a last name longer than the platform's column
    school = ent_school(10)
    school[4] = replace(school[4], last_name="X" * size)
    # WHEN it is imported
    result = make_chain().run_file(write_file("export.csv", ent_csv(school)), UAI)
    # THEN the import completes: 9 accounts created, that row an error with its line
    assert result.record is not None
    assert result.record.status is ImportStatus.COMPLETED
    assert result.record.counts is not None
    assert (result.record.counts.created, result.record.counts.errors) == (9, 1)
    assert result.report is not None
    [issue] = [issue for issue in result.report.issues if issue.severity == "error"]
    assert issue.line == 6
    assert issue.code in ("field_too_long", "line_too_long")
