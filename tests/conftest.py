"""Shared fixtures: an isolated home for Argos and Prefect, and the project's paths."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from l10n.articles.boilerplate.rules import BoilerplateRules
    from l10n.server.local import ServerState

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
GLOSSARY = ROOT / "glossaries" / "leaders.yaml"
ARTIFACTS = ROOT / "test-artifacts"

# Tests must never see a developer's real Argos packages or Prefect database:
# point every library (and every CLI subprocess) at a throwaway home first.
_SANDBOX = Path(tempfile.mkdtemp(prefix="l10n-tests-"))
for _name, _sub in {
    "XDG_DATA_HOME": "data",
    "XDG_CONFIG_HOME": "config",
    "XDG_CACHE_HOME": "cache",
    "ARGOS_PACKAGES_DIR": "argos-packages",
    "PREFECT_HOME": "prefect",
}.items():
    (_SANDBOX / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_name] = str(_SANDBOX / _sub)
# A developer's own Prefect server or profile must not receive the tests' runs.
for _name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH", "L10N_PREFECT_SERVER"):
    os.environ.pop(_name, None)
# Nor a developer's own translation memory.
os.environ.pop("L10N_TM", None)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
# `l10n translate` subprocesses run in their own process; tests/test_cli_warm.py turns the
# warm process on for itself.
os.environ["L10N_WARM"] = "0"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "180"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def sandbox() -> Path:
    return _SANDBOX


@pytest.fixture(scope="session", autouse=True)
def _stop_the_local_prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """CLI subprocesses share one local Prefect server in the sandbox; it ends with the tests.

    Any other l10n server that this session started (its home in the sandbox or in
    pytest's temporary folders) and left running is stopped, and fails the session.
    """
    from l10n.server.local import list_servers, stop_local_server, stop_server_pid

    before = {server.pid for server in list_servers()}
    ours = (_SANDBOX, tmp_path_factory.getbasetemp())
    yield
    stop_local_server(_SANDBOX / "prefect")
    leaked = [
        server
        for server in list_servers()
        if server.pid not in before
        and server.home is not None
        and any(Path(server.home).is_relative_to(root) for root in ours)
    ]
    for server in leaked:
        stop_server_pid(server.pid)
    assert not leaked, f"tests left local Prefect servers running: {leaked}"


@pytest.fixture(scope="session")
def local_server() -> ServerState:
    """The sandbox's local Prefect server, the one every `l10n translate` subprocess uses."""
    from l10n.server.local import ensure_local_server

    return ensure_local_server(_SANDBOX / "prefect")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect database and API for flow tests."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="module")
def rules() -> BoilerplateRules:
    """The bundled boilerplate rules (a module's own, as a test may change them)."""
    from l10n.articles.boilerplate import load_rules

    return load_rules()


def strip_page(rules: BoilerplateRules, lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """The page's kept lines (blank ones left out) and, per dropped line, its rule."""
    from l10n.articles.boilerplate import strip_boilerplate

    kept, dropped = strip_boilerplate(lines, rules, None)
    return [line for line in kept if line.strip()], {d.text: d.rule for d in dropped}


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


SERVER_FIXTURES = {"prefect_harness", "local_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need a Prefect or database server are marked ``server`` (make test-fast
    leaves them out)."""
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)
