"""RSS/Atom feeds as inputs, served on 127.0.0.1: full text used, links fetched safely."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from feed_server import FULL_TEXT, Site

from l10n.articles.boilerplate import default_rules
from l10n.articles.feeds import parse_feed
from l10n.articles.read import read_inputs
from l10n.pipeline import RunOptions, translate_run


@pytest.fixture
def site() -> Iterator[Site]:
    found = Site()
    found.items = [
        {"title": "Ferry timetable changes", "path": "/news/ferry-timetable", "guid": "ex-1",
         "summary": "More crossings from April."},
        {"title": "Pier opens", "path": "/news/pier-opens", "guid": "ex-2", "full": FULL_TEXT},
    ]  # fmt: skip
    yield found
    found.close()


def test_entries_are_read_with_their_guid_link_and_full_text(site: Site):
    body = rss_body(site)
    entries = parse_feed(body, site.feed)
    assert [e.key for e in entries] == ["ex-2", "ex-1"]  # oldest first: the feed's last
    by_key = {e.key: e for e in entries}
    assert (
        by_key["ex-1"].html is None and by_key["ex-1"].link == f"{site.base}/news/ferry-timetable"
    )
    assert by_key["ex-2"].html == FULL_TEXT
    assert by_key["ex-2"].language == "en"


def rss_body(site: Site) -> bytes:
    import httpx

    return httpx.get(site.feed).content


def test_a_feed_is_refused_on_a_private_address_unless_allowed(site: Site):
    refused = read_inputs([site.feed], default_rules())
    assert not refused.articles
    [error] = refused.errors
    assert "--allow-private-urls" in error.message
    allowed = read_inputs([site.feed], default_rules(), allow_private_urls=True)
    assert not allowed.errors
    titles = sorted(a.title for a in allowed.articles)
    assert titles == ["Ferry timetable", "Pier opens"]  # the page's own headline, the entry's
    assert site.page_requests == ["/news/ferry-timetable"]  # the full-text entry is not fetched
    fetched = next(a for a in allowed.articles if a.ninjs is None)
    assert any("three crossings a day" in p for p in fetched.paragraphs)
    assert not any("Copyright Example Town" in p for p in fetched.paragraphs)


def test_a_feed_translates_into_a_run_with_ninjs_for_full_text_entries(site: Site, tmp_path):
    summary = translate_run(
        RunOptions(
            inputs=[site.feed],
            targets=["ja"],
            engine="pseudo",
            out=str(tmp_path),
            run_id="feed",
            allow_private_urls=True,
        )
    )
    assert len(summary.done) == 2 and not summary.input_errors
    [item_file] = (tmp_path / "feed").glob("*/ja.ninjs.json")
    item = json.loads(item_file.read_text("utf-8"))
    assert item["uri"].startswith("ex-2") and item["language"] == "ja"
    assert item["bodies"][0]["value"].count("<p>") == 2
    # pseudo-localization changes every letter, so the link's text cannot be found: the
    # editor is told, rather than the link being put somewhere by guesswork.
    assert "<a>the town page</a>" in item["edNote"] and "<em>Lindau</em>" in item["edNote"]
