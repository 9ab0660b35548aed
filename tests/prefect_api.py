"""An HTTP client of a local l10n Prefect server's API, as l10n's own clients use it."""

from __future__ import annotations

from pathlib import Path

import httpx

from l10n.server.local import ServerState, auth_headers


def api(state: ServerState, origin: str | None = None, host: str | None = None) -> httpx.Client:
    """The secret and a CSRF token (``origin``/``host``: the headers a foreign page would
    send, secret or not)."""
    headers = auth_headers(Path(state.home))
    if origin:
        headers["Origin"] = origin
    if host:
        headers["Host"] = host
    client = httpx.Client(base_url=state.api_url, headers=headers, timeout=10)
    token = client.get("/csrf-token", params={"client": "l10n-tests"})
    if token.status_code == 200:
        client.headers["Prefect-Csrf-Token"] = token.json()["token"]
        client.headers["Prefect-Csrf-Client"] = "l10n-tests"
    return client
