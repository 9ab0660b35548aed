import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from l10n.articles.boilerplate import load_rules
from l10n.articles.fetch import fetch_article, url_id
from l10n.articles.read import InputError, read_inputs

PAGE = (
    Path(__file__).resolve().parent.parent / "examples/articles/shuttle-diplomacy.html"
).read_bytes()
SLOW_SECONDS = 3.0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="text/html; charset=utf-8", length=True):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        routes = {
            "/news/shuttle-diplomacy.html": lambda: self.send(200, PAGE),
            "/missing": lambda: self.send(404, b"<html><body>gone</body></html>"),
            "/big": lambda: self.send(
                200, b"<html><body><p>" + b"x" * 200_000 + b"</p></body></html>"
            ),
            "/big-chunked": lambda: self.send(
                200, b"<html><body><p>" + b"y" * 200_000 + b"</p></body></html>", length=False
            ),
            "/data.json": lambda: self.send(200, b'{"a": 1}', "application/json"),
            "/empty": lambda: self.send(200, b"<html><body><script>x()</script></body></html>"),
            "/slow": self.slow,
            "/moved": self.moved,
        }
        routes.get(self.path, lambda: self.send(404, b"no route"))()

    def slow(self):
        time.sleep(SLOW_SECONDS)
        self.send(200, PAGE)

    def moved(self):
        self.send_response(302)
        self.send_header("Location", "/news/shuttle-diplomacy.html")
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_fetch_extracts_story(server):
    url = f"{server}/news/shuttle-diplomacy.html"
    article = fetch_article(url)
    assert article.id == "127.0.0.1-news-shuttle-diplomacy"
    assert article.input_path == url
    assert article.site == "127.0.0.1"
    assert article.title == "Leaders Revive Shuttle Diplomacy Between Tokyo and Seoul"
    assert article.paragraphs[0].startswith("Japanese Prime Minister Sanae Takaichi")
    assert "Most read" not in " ".join(article.paragraphs)


def test_fetch_follows_redirects(server):
    article = fetch_article(f"{server}/moved")
    assert article.title.startswith("Leaders Revive")
    assert article.id == "127.0.0.1-moved"


@pytest.mark.parametrize(
    ("path", "kwargs", "words"),
    [
        ("/missing", {}, "HTTP 404"),
        ("/big", {"max_bytes": 50_000}, "larger than 50,000 bytes"),
        ("/big-chunked", {"max_bytes": 50_000}, "larger than 50,000 bytes"),
        ("/data.json", {}, "not a web page"),
        ("/empty", {}, "no article text"),
        ("/slow", {"timeout": 0.2}, "within 0.2s"),
    ],
)
def test_fetch_failures_are_input_errors_for_that_url(server, path, kwargs, words):
    url = server + path
    with pytest.raises(InputError) as err:
        fetch_article(url, **kwargs)
    assert err.value.path == url
    assert err.value.line is None
    assert words in err.value.message
    assert " — " in err.value.message


def test_unreachable_and_invalid_urls(server):
    with pytest.raises(InputError, match="invalid URL"):
        fetch_article(f"{server}x/")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(InputError, match="download failed"):
        fetch_article(f"http://127.0.0.1:{closed_port}/", timeout=5.0)


def test_read_inputs_dispatches_urls_and_keeps_going(server, tmp_path):
    local = tmp_path / "local.txt"
    local.write_text("Local Title\n\nLocal body.")
    batch = read_inputs(
        [f"{server}/news/shuttle-diplomacy.html", f"{server}/missing", str(local)], load_rules()
    )
    assert [a.id for a in batch.articles] == ["127.0.0.1-news-shuttle-diplomacy", "local"]
    assert [(e.path, "HTTP 404" in e.message) for e in batch.errors] == [
        (f"{server}/missing", True)
    ]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.example.com/news/2025/lee-visit.html?x=1", "example.com-news-2025-lee-visit"),
        ("https://example.com/", "example.com"),
        ("https://example.com/a/b/", "example.com-a-b"),
    ],
)
def test_url_id(url, expected):
    assert url_id(url) == expected


def test_url_id_of_percent_encoded_korean_path_is_stable():
    url = "https://news.example.kr/%EA%B8%B0%EC%82%AC/123"
    assert url_id(url) == url_id(url)
    assert url_id(url).startswith("news.example.kr-123-")
    assert url_id(url) != url_id("https://news.example.kr/%EB%89%B4%EC%8A%A4/123")
