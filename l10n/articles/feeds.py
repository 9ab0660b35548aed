"""RSS and Atom feeds as inputs: each entry an article.

An entry that carries its full text (``content:encoded`` in RSS, ``<content>`` in Atom)
is translated from it, as a ninjs item whose uri is the entry's guid, so its markup comes
back in ``<lang>.ninjs.json``. An entry with only a summary is translated from the page its
link leads to, fetched under the same rules as any link (public addresses only unless
``--allow-private-urls``, time and size caps). An entry with neither is an ``InputError``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import feedparser

from l10n.articles import fetch
from l10n.articles.errors import InputError
from l10n.articles.ninjs import article_from_item
from l10n.models import Article

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class FeedEntry:
    """One entry: its identity (guid, else link), where it leads and its full text if any."""

    key: str
    title: str
    link: str | None
    html: str | None
    language: str | None

    def item(self) -> dict[str, Any]:
        """The entry as a ninjs 3.x item (only for an entry with its full text)."""
        item: dict[str, Any] = {"uri": self.key, "type": "text"}
        if self.language:
            item["language"] = self.language
        if self.title:
            item["headlines"] = [{"role": "main", "value": self.title}]
        if self.html:
            item["bodies"] = [{"role": "main", "contentType": "text/html", "value": self.html}]
        return item


def is_feed(page: fetch.Page) -> bool:
    """A feed by its content type, or an XML body that opens with <rss>, <feed> or <rdf>."""
    if page.content_type in _HTML_TYPES:
        return False
    head = page.body[:512].lstrip().lower()
    return page.content_type in FEED_TYPES[:3] or any(
        tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")
    )


def parse_feed(body: bytes, source: str) -> list[FeedEntry]:
    """The entries of a feed, newest last; InputError when it is no feed."""
    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise InputError(
            source,
            None,
            f"not an RSS or Atom feed ({problem or 'no entries'}) — link to the feed itself",
        )
    language = parsed.feed.get("language") or None
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        html = _full_text(entry)
        key = entry.get("id") or link
        if not key:
            digest = hashlib.sha256((entry.get("title", "") + (html or "")).encode()).hexdigest()
            key = f"urn:l10n:feed-entry:{digest[:16]}"
        if html is None and link is None:
            html = entry.get("summary") or None
        title = " ".join(str(entry.get("title") or "").split())
        entries.append(FeedEntry(str(key), title, link, html, entry.get("language") or language))
    entries.reverse()
    return entries


def _full_text(entry: Any) -> str | None:
    for content in entry.get("content") or []:
        value = content.get("value")
        if value and value.strip():
            kind = str(content.get("type") or "").lower()
            return value if "html" in kind else _paragraphs_as_html(value)
    return None


def _paragraphs_as_html(text: str) -> str:
    from html import escape

    blocks = [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
    return "".join(f"<p>{escape(b)}</p>" for b in blocks)


def article_from_entry(entry: FeedEntry, source: str, *, allow_private: bool) -> Article:
    """The entry's article: from its full text, else from the page its link leads to."""
    if entry.html:
        return article_from_item(entry.item(), entry.link or entry.key, None)
    if entry.link is None:
        raise InputError(source, None, f"entry {entry.key!r} has no text and no link — skipped")
    return fetch.fetch_article(entry.link, allow_private=allow_private)


def read_url(url: str, *, allow_private: bool) -> tuple[list[Article], list[InputError]]:
    """A link given as input: a news page (one article) or a feed (an article per entry)."""
    page = fetch.download(url, allow_private=allow_private, types=_HTML_TYPES + FEED_TYPES)
    if not is_feed(page):
        if page.content_type not in _HTML_TYPES:
            raise InputError(
                url,
                None,
                f"neither a web page nor a feed (content type {page.content_type!r}) — "
                "pass a link to an HTML article or an RSS/Atom feed",
            )
        return [fetch.article_from_page(url, page)], []
    articles: list[Article] = []
    errors: list[InputError] = []
    for entry in parse_feed(page.body, url):
        try:
            articles.append(article_from_entry(entry, url, allow_private=allow_private))
        except InputError as exc:
            errors.append(exc)
    return articles, errors
