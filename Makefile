# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# pyenv shims exist for versions that are not installed, so test that each candidate really runs.
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do $$p -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint format install bench packages clean bi browser

run: $(STAMP)
	$(BIN)/tsur run

test: $(STAMP) browser
	@$(MAKE) --no-print-directory lint
	$(BIN)/pytest

# Style is checked before any test: Python by ruff (lint and format), SQL by SQLFluff (.sqlfluff).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint --processes 2 dbt_project

# What `make lint` asks for, applied: ruff's fixes and layout, SQLFluff's fixes.
format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/sqlfluff fix dbt_project

install: $(STAMP)

# N times the sample year: make bench SCALE=10 (docs/benchmarks.md).
SCALE ?= 1
bench: $(STAMP)
	$(BIN)/tsur bench --scale $(SCALE)

# The twelve monthly federal packages of the sample year (after `make run`).
YEAR ?= 2025
packages: $(STAMP)
	for month in 01 02 03 04 05 06 07 08 09 10 11 12; do $(BIN)/tsur export --period $(YEAR)-$$month || exit 1; done

# BI: Apache Superset on the marts as the read-only BI role, on 127.0.0.1:$(BI_PORT), after `make run` (docs/bi.md).
# Superset lives in a venv of its own (its pins clash with ours), cached outside the repo and made once.
BI_PORT ?= 8088
bi: $(STAMP)
	TSUR_BI_PORT=$(BI_PORT) $(BIN)/python -m exports.bi.launcher

# The BI test (tests/e2e/test_bi_dashboard.py) drives Debian's chromium: installed here when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs
