"""Fetching an article from a URL.

The download is capped in time and size because a news page is small and a
run should fail one URL quickly rather than hang or fill memory on a bad link.
Only public web addresses are reached unless ``allow_private`` (see ``urls``);
redirects are followed here, hop by hop, so each one is checked like the first.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import httpx

from l10n.articles.encodings import NotText, charset_from_content_type, decode_bytes
from l10n.articles.errors import InputError
from l10n.articles.html import article_from_html
from l10n.articles.ids import safe_id
from l10n.articles.urls import ALLOW_HINT, GuardedTransport, RefusedAddress, url_refusal
from l10n.models import Article

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_USER_AGENT = "l10n-article-fetch/0.1"
_SAVE_HINT = "save the page as .html and pass the file"
MAX_REDIRECTS = 5


def fetch_article(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = 5_000_000,
    allow_private: bool = False,
    max_redirects: int = MAX_REDIRECTS,
) -> Article:
    """Download ``url`` and extract its story; any failure is an ``InputError`` for that URL.

    Without ``allow_private`` the URL and every redirect must lead to a public address.
    """
    page = download(
        url,
        timeout=timeout,
        max_bytes=max_bytes,
        allow_private=allow_private,
        max_redirects=max_redirects,
    )
    return article_from_page(url, page)


@dataclass
class Page:
    """A downloaded body, the charset and the content type its headers declare."""

    body: bytes
    charset: str | None
    content_type: str


def article_from_page(url: str, page: Page) -> Article:
    """The story of a downloaded HTML page (an ``InputError`` when it is not text)."""
    try:
        decoded = decode_bytes(page.body, declared=page.charset, html=True)
    except NotText as exc:
        raise InputError(url, None, exc.message) from exc
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    article = article_from_html(decoded.text, id=url_id(url), input_path=url, site=host or None)
    article.encoding, article.encoding_confidence = decoded.encoding, decoded.confidence
    return article


def url_id(url: str) -> str:
    """Host plus path, so the same URL always maps to the same article folder."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    path = unquote(parts.path).strip("/")
    for suffix in (".html", ".htm", ".php", ".aspx"):
        path = path.removesuffix(suffix)
    return safe_id(f"{host}-{path}" if path else host)


def download(
    url: str,
    *,
    timeout: float = 15.0,
    max_bytes: int = 5_000_000,
    allow_private: bool = False,
    max_redirects: int = MAX_REDIRECTS,
    types: tuple[str, ...] = _HTML_TYPES,
) -> Page:
    """The body of ``url`` if its content type is one of ``types``, under the same guards
    as an article's page (public addresses only unless ``allow_private``, time, size)."""
    deadline = time.monotonic() + timeout
    try:
        with (
            httpx.Client(
                transport=GuardedTransport(allow_private=allow_private),
                timeout=timeout,
                headers={"User-Agent": _USER_AGENT},
            ) as client,
            _follow(client, url, max_redirects) as response,
        ):
            if response.status_code >= 400:
                raise InputError(
                    url,
                    None,
                    f"HTTP {response.status_code} {response.reason_phrase} — "
                    f"check the URL or {_SAVE_HINT}",
                )
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type not in types:
                raise InputError(
                    url,
                    None,
                    f"not a web page (content type {content_type or 'missing'!r}) — "
                    "pass a link to an HTML article",
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(url, max_bytes)
                if time.monotonic() > deadline:
                    raise _timed_out(url, timeout)
                chunks.append(chunk)
            charset = charset_from_content_type(response.headers.get("content-type"))
            return Page(b"".join(chunks), charset, content_type)
    except httpx.TimeoutException as exc:
        raise _timed_out(url, timeout) from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise InputError(url, None, f"invalid URL ({exc}) — check the address") from exc
    except httpx.HTTPError as exc:
        raise InputError(
            url, None, f"download failed ({exc}) — check the network or {_SAVE_HINT}"
        ) from exc


@contextmanager
def _follow(client: httpx.Client, url: str, max_redirects: int) -> Iterator[httpx.Response]:
    """The final response of ``url``, each redirect checked before it is requested."""
    request = client.build_request("GET", url)
    for hop in range(max_redirects + 1):
        where = f"redirected to {request.url}: " if hop else ""
        problem = url_refusal(request.url)
        if problem is not None:
            raise InputError(url, None, f"refused: {where}{problem}")
        try:
            response = client.send(request, stream=True)
        except RefusedAddress as exc:
            raise InputError(
                url,
                None,
                f"refused: {where}{exc} — l10n fetches only public web addresses; "
                f"{ALLOW_HINT}, or {_SAVE_HINT}",
            ) from exc
        if response.next_request is None:
            try:
                yield response
            finally:
                response.close()
            return
        response.close()
        request = response.next_request
    raise InputError(
        url,
        None,
        f"more than {max_redirects} redirects — pass the page's final address, or {_SAVE_HINT}",
    )


def _too_large(url: str, max_bytes: int) -> InputError:
    return InputError(url, None, f"page is larger than {max_bytes:,} bytes — {_SAVE_HINT}")


def _timed_out(url: str, timeout: float) -> InputError:
    return InputError(url, None, f"no complete answer within {timeout:g}s — retry or {_SAVE_HINT}")
