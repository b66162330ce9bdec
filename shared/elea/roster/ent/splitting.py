"""Splitting one physical line that is off the fast path (see rows.py) into its fields.

The ENT quotes every field with `"` and separates them with `;`, but never escapes a `"` inside
a value (its Mustache template writes values raw). Excel re-saves quote only when needed and
double the inner quotes. Each line is split on its own, so a stray quote can never swallow the
lines after it: a line that cannot be split into the header's width is reported on its own.
"""

from __future__ import annotations

import csv
import re
from typing import NamedTuple

from elea.roster.ent.row_issues import BAD_COLUMN_COUNT, LINE_TOO_LONG, UNESCAPED_QUOTE

_QUOTE_RUNS = re.compile('"+')
# A real row is a few hundred characters (a few thousand for staff in every class). Past this,
# the line is not an account, and csv's own field limit (128 KiB) would raise instead of report.
MAX_LINE_CHARS = 64 * 1024


class SplitLine(NamedTuple):
    fields: list[str]
    # None when the line split cleanly; else UNESCAPED_QUOTE (recovered), BAD_COLUMN_COUNT or LINE_TOO_LONG.
    problem: str | None


def split_irregular(line: str, delimiter: str, width: int) -> SplitLine:
    """Fields of a line that is not a plain fully-quoted or quote-free row of the right width."""
    if len(line) > MAX_LINE_CHARS:
        return SplitLine([], LINE_TOO_LONG)
    if len(line) >= 2 and line[0] == '"' and line[-1] == '"':
        fields = line[1:-1].split(f'"{delimiter}"')
        if len(fields) == width:
            return _unquote_fully_quoted(fields)
    if '"' in line:
        # One line only: csv's quote state never crosses into the next row.
        try:
            fields = next(csv.reader([line], delimiter=delimiter, strict=False), [])
        except csv.Error:  # a reader limit, whatever the line: report it, never a traceback
            return SplitLine([], BAD_COLUMN_COUNT)
    else:
        fields = line.split(delimiter)
        if len(fields) < width:
            # Some tools drop trailing empty cells; without quotes the columns cannot have shifted.
            fields.extend([""] * (width - len(fields)))
    if len(fields) > width and not any(field.strip() for field in fields[width:]):
        del fields[width:]  # trailing separators
    return SplitLine(fields, None if len(fields) == width else BAD_COLUMN_COUNT)


def _unquote_fully_quoted(fields: list[str]) -> SplitLine:
    problem = None
    for index, field in enumerate(fields):
        if '"' not in field:
            continue
        if all(len(run) % 2 == 0 for run in _QUOTE_RUNS.findall(field)):
            fields[index] = field.replace('""', '"')  # CSV-escaped by a spreadsheet
        else:
            problem = UNESCAPED_QUOTE  # the ENT's raw quote, kept as written
    return SplitLine(fields, problem)
