# Two commands for a fresh clone: `make run` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export UV_LINK_MODE ?= copy
# Byte-compile at install: where .pyc files are never written (PYTHONDONTWRITEBYTECODE,
# a read-only venv), every command would otherwise recompile Prefect, ~1.5 s a run.
export UV_COMPILE_BYTECODE ?= 1

.PHONY: env run test test-fast lint bench server server-stop serve clean

# uv is the only bootstrap requirement; fetch it from PyPI when it is missing.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

# l10n's own modules are byte-compiled too (uv compiles only the installed packages):
# where .pyc files are never written, they would be compiled again by every command.
env: $(VENV)/.synced
	@$(VENV)/bin/python -m compileall -q l10n >/dev/null

run: env
	$(VENV)/bin/l10n translate examples/articles --to ja,ko --engine auto --out outputs

# The whole suite, as CI runs it: lint, types, then every test (browsers and servers too).
test: env
	$(VENV)/bin/ruff check l10n tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

# The inner loop: no browser, no Prefect or database server, nothing marked slow.
test-fast: env
	$(VENV)/bin/pytest -m "not slow and not browser and not server" -q

lint: env
	$(VENV)/bin/ruff check l10n tests benchmarks
	$(VENV)/bin/ruff format --check l10n tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: env
	$(VENV)/bin/python benchmarks/run_all.py

# The local Prefect server l10n commands share: SQLite in PREFECT_HOME (default ~/.prefect),
# 127.0.0.1:$PORT (default 4200), analytics off; it runs until `make server-stop`.
server: env
	L10N_PREFECT_SERVER_PORT=$${PORT:-4200} $(VENV)/bin/l10n server start

server-stop: env
	$(VENV)/bin/l10n server stop

# Serves on $PREFECT_API_URL when set, else on the local server (started if needed).
serve: env
	$(VENV)/bin/l10n serve

clean:
	rm -rf $(VENV) .tools outputs test-artifacts .pytest_cache
