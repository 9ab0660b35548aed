"""A news site on 127.0.0.1 for feed tests: an RSS feed, an Atom feed and article pages.

Every text here is written for these tests.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

PAGE = """<!doctype html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<article><h1>{title}</h1>
<p>The town council of Lindau met on Tuesday evening to discuss the new ferry timetable,
which will add three crossings a day from the first of April.</p>
<p>Residents had asked for later departures for months, the mayor said, and the operator
agreed after a trial in the autumn showed that the boats were full until ten at night.</p>
<p>The council also approved money for a covered waiting area at the pier, where passengers
currently stand in the rain, and expects the work to be finished before the summer season.</p>
</article><footer>Copyright Example Town News</footer></body></html>"""


def rss(base: str, items: list[dict[str, str]]) -> str:
    """An RSS 2.0 feed; an item with ``full`` carries its text in content:encoded."""
    parts = []
    for item in items:
        full = item.get("full")
        content = f"<content:encoded>{escape(full)}</content:encoded>" if full else ""
        parts.append(
            f"<item><title>{escape(item['title'])}</title>"
            f"<link>{base}{item['path']}</link><guid>{item['guid']}</guid>"
            f"<description>{escape(item.get('summary', ''))}</description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Example Town News</title><link>{base}/</link>"
        f"<language>en</language>{''.join(parts)}</channel></rss>"
    )


class Site:
    """Serves ``feed`` at /feed.xml and PAGE for any /news/... path; counts page requests."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []
        self.page_requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/feed.xml":
                    body = rss(site.base, site.items).encode("utf-8")
                    kind = "application/rss+xml; charset=utf-8"
                elif self.path.startswith("/news/"):
                    site.page_requests.append(self.path)
                    title = self.path.rsplit("/", 1)[-1].replace("-", " ").capitalize()
                    body = PAGE.format(title=title).encode("utf-8")
                    kind = "text/html; charset=utf-8"
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.feed = f"{self.base}/feed.xml"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


FULL_TEXT = (
    "<p>The new pier in <em>Lindau</em> opened on Monday with a short ceremony.</p>"
    '<p>More details are on <a href="https://example.org/pier">the town page</a>.</p>'
)
