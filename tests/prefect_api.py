"""An HTTP client of a local l10n Prefect server's API, as l10n's own clients use it."""

from __future__ import annotations

import time
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
    client = httpx.Client(
        base_url=state.api_url, headers=headers, timeout=10, transport=_RetryUnavailable()
    )
    token = client.get("/csrf-token", params={"client": "l10n-tests"})
    if token.status_code == 200:
        client.headers["Prefect-Csrf-Token"] = token.json()["token"]
        client.headers["Prefect-Csrf-Client"] = "l10n-tests"
    return client


class _RetryUnavailable(httpx.HTTPTransport):
    """Retries a 503 (the server's database busy for a moment), as Prefect's own client does."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for attempt in range(5):
            response = super().handle_request(request)
            if response.status_code != 503 or attempt == 4:
                return response
            response.close()
            time.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")
