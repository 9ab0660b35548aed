# Two commands for a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export UV_LINK_MODE ?= copy

.PHONY: env run test lint bench server serve clean

# uv is the only bootstrap requirement; fetch it from PyPI when it is missing.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

env: $(VENV)/.synced

run: env
	$(VENV)/bin/l10n translate examples/articles --to ja,ko --engine auto --out outputs

test: env
	$(VENV)/bin/ruff check l10n flows tests benchmarks
	$(VENV)/bin/pytest

lint: env
	$(VENV)/bin/ruff check l10n flows tests benchmarks
	$(VENV)/bin/ruff format --check l10n flows tests benchmarks

bench: env
	$(VENV)/bin/python benchmarks/run_all.py

# A local Prefect server: SQLite in .prefect/, 127.0.0.1 only, analytics off.
server: env
	PREFECT_HOME=$${PREFECT_HOME:-$$PWD/.prefect} \
	PREFECT_UI_API_URL=$${PREFECT_UI_API_URL:-http://127.0.0.1:$${PORT:-4200}/api} \
	$(VENV)/bin/prefect server start --host 127.0.0.1 --port $${PORT:-4200}

serve: env
	PREFECT_API_URL=$${PREFECT_API_URL:-http://127.0.0.1:$${PORT:-4200}/api} $(VENV)/bin/l10n serve

clean:
	rm -rf $(VENV) .tools outputs test-artifacts .pytest_cache
