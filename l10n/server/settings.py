"""Prefect settings the CLI applies before it imports Prefect.

Commands normally run on the local server (``l10n.server.local``); with
``L10N_PREFECT_SERVER=ephemeral`` a first run on a fresh machine starts a temporary
Prefect server, which can take longer than Prefect's 20 s default on a small
machine. Server analytics and client telemetry stay off (``DO_NOT_TRACK``) since
the pipeline runs offline. Tracebacks go to PREFECT_HOME/l10n-commands.log, not the
screen (``l10n.server.logs``). Values the user set are never overridden.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

from l10n.server import logs
from l10n.server.local import prefect_home

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def apply_prefect_defaults(
    env: MutableMapping[str, str] | None = None, *, verbose: bool = False
) -> None:
    env = os.environ if env is None else env
    for key, value in DEFAULTS.items():
        if key == "PREFECT_LOGGING_LEVEL" and verbose:
            value = "INFO"
        env.setdefault(key, value)
    if not verbose:  # --verbose keeps Prefect's tracebacks on screen
        logs.install(prefect_home(env), env)
