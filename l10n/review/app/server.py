"""Running the review app: bound to 127.0.0.1 on a free (or given) port, one token per start."""

from __future__ import annotations

import errno
import getpass
import os
import secrets
import signal
import socket
import threading
from collections.abc import Callable
from typing import Any

from l10n.errors import UsageError
from l10n.review.app.catalog import Catalog
from l10n.review.app.routes import create_app

HOST = "127.0.0.1"


def default_reviewer() -> str:
    """The login name (``$USER``); empty when there is none, and the page asks for a name."""
    for name in ("USER", "LOGNAME"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def bind(port: int | None) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0 or None: any free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port or 0))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} is in use — choose another --port, or leave it out for a free one"
            ) from exc
        raise UsageError(f"can't listen on {HOST}:{port} ({exc.strerror or exc})") from exc
    sock.listen(128)
    return sock


class ReviewServer:
    """The app on its socket; :meth:`run` serves until Ctrl-C (or :meth:`stop`)."""

    def __init__(self, catalog: Catalog, *, port: int | None = None, reviewer: str = "") -> None:
        self.socket = bind(port)
        self.port = self.socket.getsockname()[1]
        self.token = secrets.token_urlsafe(32)
        self.app = create_app(catalog, token=self.token, port=self.port, reviewer=reviewer)
        self._server: Any = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def run(self, on_ready: Callable[[str], None] | None = None) -> None:
        import uvicorn

        config = uvicorn.Config(
            self.app, log_level="warning", access_log=False, lifespan="off", server_header=False
        )
        self._server = uvicorn.Server(config)
        interrupted = False

        def on_interrupt(signum: int, frame: object) -> None:
            nonlocal interrupted
            interrupted = True
            self.stop()

        # Heard before uvicorn takes Ctrl-C over (while it starts) and after (uvicorn hands a
        # caught one back here), even where it was ignored: uvicorn stops on it regardless.
        listens = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, on_interrupt) if listens else None
        try:
            if on_ready is not None:
                on_ready(self.url)
            self._server.run(sockets=[self.socket])
        finally:
            if listens:
                signal.signal(signal.SIGINT, previous)
            self.socket.close()
            self.app.state.refresher.close()  # run.json gets the last decisions
        if interrupted:
            raise KeyboardInterrupt  # the command ends with 130, as after any Ctrl-C

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
