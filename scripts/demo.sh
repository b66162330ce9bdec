#!/usr/bin/env bash
# The README's demo: a synthetic export, read as a manager would drop it.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/elea-import parse tests/fixtures/sample/export.csv
