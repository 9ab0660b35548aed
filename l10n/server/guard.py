"""What the local server's process runs: Prefect's app behind a Host/Origin guard, and a watchdog.

``uvicorn --factory l10n.server.guard:create_app`` builds the app named by
``L10N_GUARD_APP`` (Prefect's ``prefect.server.api.server:create_app``, loaded by
name as uvicorn itself would, so this package never imports Prefect) and wraps it:

- **Host**: a request whose ``Host`` is not one of the allowed names (loopback
  names unless ``L10N_PREFECT_SERVER_HOSTS`` adds others) is refused with 421, so a
  page that rebinds its own DNS name to 127.0.0.1 reaches nothing.
- **Origin**: a request that carries an ``Origin`` other than the server's own is
  refused with 403 before it reaches Prefect — CORS only hides answers from a
  page, it does not stop the request.
- **Watchdog**: the process stops itself after ``L10N_GUARD_IDLE_S`` seconds without
  a request (0: never), and as soon as its ``PREFECT_HOME`` is gone.

Prefect's own API authentication (``PREFECT_SERVER_API_AUTH_STRING``), CSRF
protection and CORS list are set by ``l10n.server.local`` when it starts the process.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

APP_ENV = "L10N_GUARD_APP"
HOSTS_ENV = "L10N_GUARD_HOSTS"
PORT_ENV = "L10N_GUARD_PORT"
IDLE_ENV = "L10N_GUARD_IDLE_S"
HOME_ENV = "L10N_GUARD_HOME"
STATE_ENV = "L10N_GUARD_STATE"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Probes of liveness are not use: they must not keep an idle server alive.
PROBES = frozenset({"/api/health", "/api/ready", "/health", "/ready"})
WATCH_INTERVAL_S = 1.0


def host_name(value: str) -> str:
    """The name part of a Host header or an origin's authority, lower-cased."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:4200
        return value[1 : value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        return value.rsplit(":", 1)[0]
    return value


class Guard:
    """An ASGI wrapper refusing foreign Hosts and Origins, and noting when it was last used."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str], port: int) -> None:
        self.app = app
        self.hosts = frozenset(h.strip().lower() for h in hosts if h.strip())
        self.origins = frozenset(
            f"{scheme}://{f'[{h}]' if ':' in h else h}{suffix}"
            for h in self.hosts
            for scheme in ("http", "https")
            for suffix in (f":{port}", "")
        )
        self.last_used = time.monotonic()
        self.open = 0  # connections in progress (a worker's websocket counts as use)
        self.started = False  # the app's start-up (database migrations: seconds) is done

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = host_name(headers.get("host", ""))
        if host not in self.hosts:
            return 421, f"Host {host or '(none)'} is not served here"
        origin = headers.get("origin")
        if origin is not None and origin.rstrip("/").lower() not in self.origins:
            return 403, f"Origin {origin} may not use this server"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, self._noting_startup(send))
            return
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refused = self.refusal(scope)
        if refused is not None:
            await _refuse(scope, send, *refused)
            return
        probe = scope["type"] == "http" and scope.get("path") in PROBES
        if not probe:
            self.open += 1
            self.last_used = time.monotonic()
        try:
            await self.app(scope, receive, send)
        finally:
            if not probe:
                self.open -= 1
                self.last_used = time.monotonic()

    def _noting_startup(self, send: Send) -> Send:
        async def noting(message: Message) -> None:
            if message.get("type") == "lifespan.startup.complete":
                self.started = True
                self.last_used = time.monotonic()
            await send(message)

        return noting

    def idle_for(self) -> float:
        if self.open > 0 or not self.started:
            return 0.0
        return time.monotonic() - self.last_used


async def _refuse(scope: Scope, send: Send, status: int, reason: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": reason[:120]})
        return
    body = json.dumps({"detail": reason}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def why_stop(guard: Guard, home: Path, idle_s: float) -> str | None:
    """Why the server should stop now, or None."""
    if not home.is_dir():
        return f"its PREFECT_HOME {home} is gone"
    if idle_s > 0 and guard.idle_for() >= idle_s:
        return f"it was idle for {idle_s:g} s"
    return None


def _forget_self(state_file: Path) -> None:
    try:
        if json.loads(state_file.read_text("utf-8")).get("pid") == os.getpid():
            state_file.unlink()
    except (OSError, ValueError, AttributeError):
        pass


def watch(guard: Guard, home: Path, idle_s: float, state_file: Path | None) -> None:
    """Stop this process (SIGTERM: uvicorn's graceful shutdown) once ``why_stop`` says so."""
    while (reason := why_stop(guard, home, idle_s)) is None:
        time.sleep(WATCH_INTERVAL_S)
    print(f"l10n: stopping the local Prefect server: {reason}", file=sys.stderr, flush=True)
    if state_file is not None:
        _forget_self(state_file)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30.0)  # a shutdown that hangs still ends
    os._exit(0)


def create_app() -> Guard:
    """The uvicorn factory: the app named by ``L10N_GUARD_APP``, guarded and watched."""
    from uvicorn.importer import import_from_string

    factory = import_from_string(os.environ[APP_ENV])
    hosts = os.environ.get(HOSTS_ENV, ",".join(LOOPBACK)).split(",")
    guard = Guard(factory(), hosts, int(os.environ[PORT_ENV]))
    home = Path(os.environ[HOME_ENV])
    state = os.environ.get(STATE_ENV)
    idle_s = float(os.environ.get(IDLE_ENV, "0") or 0)
    threading.Thread(
        target=watch,
        args=(guard, home, idle_s, Path(state) if state else None),
        name="l10n-watchdog",
        daemon=True,
    ).start()
    return guard
