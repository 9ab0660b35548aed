"""Prefect settings the CLI applies before it imports Prefect.

A first run on a fresh machine starts a temporary Prefect server, which can take
longer than Prefect's 20 s default on a small machine; analytics stay off since
the pipeline runs offline. Values the user set are never overridden.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
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
