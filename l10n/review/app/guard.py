"""Same-origin protection for the review app, in front of every route.

The app listens on 127.0.0.1 only, but any web page open in the reviewer's browser can
still send requests to it. So: the Host header must name this server (a DNS-rebinding page
can't pass), every write must come from this origin (Origin, or Referer, and Fetch
metadata when the browser sends them) and carry the random token of this server start in
a header — a header another origin's page can't set without a CORS preflight this app
never answers. Every response says not to be framed, sniffed or cached.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_HEADER = "x-l10n-token"
SAFE_METHODS = frozenset({"GET", "HEAD"})
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def local_origins(port: int) -> tuple[frozenset[str], frozenset[str]]:
    """(Host header values, Origin values) of a server on 127.0.0.1:``port``."""
    hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})
    return hosts, frozenset(f"http://{host}" for host in hosts)


class SameOriginGuard:
    """ASGI middleware: refuses foreign hosts and cross-origin or token-less writes."""

    def __init__(
        self, app: ASGIApp, *, token: str, hosts: Iterable[str], origins: Iterable[str]
    ) -> None:
        self.app = app
        self.token = token
        self.hosts = frozenset(hosts)
        self.origins = frozenset(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self.problem(scope)
        if problem is not None:
            status, message = problem
            response: Response
            if scope["method"] in SAFE_METHODS:
                response = PlainTextResponse(message, status_code=status)
            else:
                response = JSONResponse({"error": message}, status_code=status)
            await response(scope, receive, _with_headers(send))
            return
        await self.app(scope, receive, _with_headers(send))

    def problem(self, scope: Scope) -> tuple[int, str] | None:
        """(status, message) when the request must be refused, else None."""
        headers = Headers(scope=scope)
        if headers.get("host", "") not in self.hosts:
            return 421, "this review app answers only at the address it printed"
        if scope["method"] in SAFE_METHODS:
            return None
        origin = headers.get("origin")
        if origin is not None and origin not in self.origins:
            return 403, "cross-origin write refused"
        referer = headers.get("referer")
        if (
            origin is None
            and referer is not None
            and not any(referer == o or referer.startswith(o + "/") for o in self.origins)
        ):
            return 403, "cross-origin write refused"
        if headers.get("sec-fetch-site", "same-origin") not in {"same-origin", "none"}:
            return 403, "cross-origin write refused"
        if not hmac.compare_digest(
            headers.get(TOKEN_HEADER, "").encode("utf-8", "replace"), self.token.encode()
        ):
            return 403, "missing or wrong review token — reload the page"
        return None


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped
