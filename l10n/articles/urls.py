"""Which web addresses a URL input may reach.

A served deployment takes URLs from anyone who can use the Prefect UI, so fetching one
must not become a way into the machine's own network (server-side request forgery).
Two layers:

* ``url_refusal`` checks what can be read off a URL: only http/https, no credentials,
  no port that browsers refuse either (the Fetch standard's "bad ports").
* ``GuardedBackend`` is the network backend of the HTTP client. It resolves the host
  itself, refuses the connection when ANY address is loopback, private, link-local,
  multicast, unspecified, reserved or otherwise not public (also inside IPv4-mapped,
  6to4 and NAT64 IPv6 forms), and then connects to the address it checked. So there is
  no second DNS lookup an attacker could answer differently (DNS rebinding), and every
  redirect hop passes the same check because every connection does.

TLS is untouched: the client still sends the host name as SNI and verifies the
certificate against it. Proxies from the environment are not used for URL inputs: a proxy
resolves names itself, out of reach of the check.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_HINT = "pass --allow-private-urls to fetch from your own network"

# https://fetch.spec.whatwg.org/#port-blocking: ports of mail, shell, file-sharing and
# chat services that an HTTP request must never be aimed at.
BAD_PORTS = frozenset(
    {1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95}
    | {101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161}
    | {179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563}
    | {587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060}
    | {5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080}
)

_SHARED_NAT = ipaddress.ip_network("100.64.0.0/10")
_PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fec0::/10")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class RefusedAddress(Exception):
    """A host that resolves to an address URL inputs must not reach.

    Raised inside the HTTP client; the fetcher turns it into an ``InputError`` for the URL.
    """

    def __init__(self, host: str, address: str, reason: str) -> None:
        super().__init__(host, address, reason)
        self.host = host
        self.address = address
        self.reason = reason

    def __str__(self) -> str:
        if self.host == self.address:
            return f"{self.address} is {self.reason}"
        return f"{self.host} resolves to {self.address}, {self.reason}"


def address_refusal(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public internet address, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = address_refusal(embedded)
            return f"{inner} (as {embedded} inside an IPv6 address)" if inner else None
    if ip.is_unspecified:
        return "an unspecified address (it reaches this machine)"
    if ip.is_loopback:
        return "a loopback address (this machine)"
    if ip.is_link_local:
        return "a link-local address (where cloud metadata services answer)"
    if ip.is_multicast:
        return "a multicast address"
    if ip in _SHARED_NAT:
        return "a shared carrier-grade NAT address (100.64.0.0/10)"
    if any(ip in network for network in _PRIVATE):
        return "a private-network address"
    if ip.is_reserved or ip.is_private or not ip.is_global:
        return "a reserved or special-purpose address (not routed on the internet)"
    return None


def url_refusal(url: httpx.URL | str) -> str | None:
    """What is wrong with the URL itself (scheme, credentials, port) and the fix, or None."""
    parts = urlsplit(str(url))
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return (
            f"only http and https URLs are fetched, not {scheme or 'one without a scheme'} — "
            "link to a web page, or save it as .html and pass the file"
        )
    if parts.username is not None or parts.password is not None:
        return (
            "the URL carries a user name or password, which l10n never sends — "
            "remove them from the URL"
        )
    try:
        port = parts.port
    except ValueError:
        return "the URL has an invalid port — check the address"
    if port is not None and port in BAD_PORTS:
        return (
            f"port {port} belongs to a non-web service and is blocked, as browsers block it — "
            "use the page's usual web address, or save it as .html and pass the file"
        )
    return None


def _parse(address: str) -> IPAddress:
    # getaddrinfo gives IPv6 link-local answers with a zone ("fe80::1%eth0").
    return ipaddress.ip_address(address.split("%", 1)[0])


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (literal addresses resolve to themselves)."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve host {host!r} ({exc})") from exc
    addresses: list[str] = []
    for family, _, _, _, sockaddr in answers:
        if family in (socket.AF_INET, socket.AF_INET6) and sockaddr[0] not in addresses:
            addresses.append(str(sockaddr[0]))
    if not addresses:
        raise httpcore.ConnectError(f"host {host!r} has no internet address")
    return addresses


def checked_addresses(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The addresses to connect to; ``RefusedAddress`` if any of them is not public."""
    addresses = resolve(host, port)
    if not allow_private:
        for address in addresses:
            reason = address_refusal(_parse(address))
            if reason is not None:
                raise RefusedAddress(host, address, reason)
    return addresses


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks, then connects to the checked address: one lookup per connection."""

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(host, port, allow_private=self.allow_private)
        failure: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("URL inputs are fetched over TCP only")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with its connection pool built on ``GuardedBackend``."""

    def __init__(self, *, allow_private: bool) -> None:
        super().__init__()
        # HTTPTransport has no public way to pass a network backend; its pool is rebuilt
        # with the same TLS defaults (tests prove the guard is the one in use).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            network_backend=GuardedBackend(allow_private=allow_private),
        )
