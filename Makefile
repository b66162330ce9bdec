# Two commands for a new user: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-moodle lint typecheck unit bench clean

install: $(STAMP)

# Re-installs only when the dependency list changes; a half-made venv is removed first.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

demo: install
	@bash scripts/demo.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/cfn-lint template.yaml

typecheck: install
	$(BIN)/mypy shared/elea cli/elea_cli local_stack/elea_local
	@# Handler modules (parse_handler, classes_handler, users_handler, deprovision_handler, report_handler,
	@# failure_handler, auth_handler) have unique names across functions/, so one mypy run checks them all.
	MYPYPATH=shared $(BIN)/mypy --follow-imports=silent functions/*/*_handler.py

unit: install
	$(BIN)/pytest tests/unit

test: lint typecheck
	$(BIN)/pytest

# The Moodle contract tests against a real Moodle: ELEA_MOODLE_URL, ELEA_MOODLE_TOKEN (the integration account)
# and, for the capability tests, ELEA_MOODLE_TOKEN_NOCAP (an account with only webservice/rest:use).
test-moodle: install
	@test -n "$$ELEA_MOODLE_URL" -a -n "$$ELEA_MOODLE_TOKEN" || \
		{ echo "Définissez ELEA_MOODLE_URL et ELEA_MOODLE_TOKEN (et ELEA_MOODLE_TOKEN_NOCAP)."; exit 2; }
	$(BIN)/pytest tests/contract/test_moodle_web_service.py -v

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .elea-local .mypy_cache .ruff_cache
