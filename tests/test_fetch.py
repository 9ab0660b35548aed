import contextlib
import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from l10n.articles import urls
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
        self.server.seen.append((self.path, self.headers.get("Host")))
        path = urlsplit(self.path).path
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
            "/moved": lambda: self.redirect("/news/shuttle-diplomacy.html"),
            "/redirect": lambda: self.redirect(parse_qs(urlsplit(self.path).query)["to"][0]),
            "/loop": lambda: self.redirect("/loop"),
        }
        routes.get(path, lambda: self.send(404, b"no route"))()

    def slow(self):
        time.sleep(SLOW_SECONDS)
        with contextlib.suppress(BrokenPipeError):  # the client gave up, as the test wants
            self.send(200, PAGE)

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[tuple[str, str | None]] = []
        self.port = self.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def httpd():
    server = Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def server(httpd):
    httpd.seen.clear()
    return httpd.url


@pytest.fixture
def loopback_is_public(monkeypatch):
    """Make 127.0.0.1 (the test server) count as a public address, nothing else.

    This stands in for "a public web server" so the checks after it (redirects, a second
    DNS answer) are the real ones.
    """
    real = urls.address_refusal
    monkeypatch.setattr(
        urls, "address_refusal", lambda ip: None if str(ip) == "127.0.0.1" else real(ip)
    )


# ---------------------------------------------------------------- fetching (allowed)


def test_fetch_extracts_story(server):
    url = f"{server}/news/shuttle-diplomacy.html"
    article = fetch_article(url, allow_private=True)
    assert article.id == "127.0.0.1-news-shuttle-diplomacy"
    assert article.input_path == url
    assert article.site == "127.0.0.1"
    assert article.title == "Leaders Revive Shuttle Diplomacy Between Tokyo and Seoul"
    assert article.paragraphs[0].startswith("Japanese Prime Minister Sanae Takaichi")
    assert "Most read" not in " ".join(article.paragraphs)


def test_fetch_follows_redirects(server, httpd):
    article = fetch_article(f"{server}/moved", allow_private=True)
    assert article.title.startswith("Leaders Revive")
    assert article.id == "127.0.0.1-moved"
    assert [path for path, _ in httpd.seen] == ["/moved", "/news/shuttle-diplomacy.html"]


@pytest.mark.parametrize(
    ("path", "kwargs", "words"),
    [
        ("/missing", {}, "HTTP 404"),
        ("/big", {"max_bytes": 50_000}, "larger than 50,000 bytes"),
        ("/big-chunked", {"max_bytes": 50_000}, "larger than 50,000 bytes"),
        ("/data.json", {}, "not a web page"),
        ("/empty", {}, "no article text"),
        ("/slow", {"timeout": 0.2}, "within 0.2s"),
        ("/loop", {}, "more than 5 redirects"),
        ("/loop", {"max_redirects": 2}, "more than 2 redirects"),
    ],
)
def test_fetch_failures_are_input_errors_for_that_url(server, path, kwargs, words):
    url = server + path
    with pytest.raises(InputError) as err:
        fetch_article(url, allow_private=True, **kwargs)
    assert err.value.path == url
    assert err.value.line is None
    assert words in err.value.message
    assert " — " in err.value.message


def test_unreachable_and_invalid_urls(server):
    with pytest.raises(InputError, match="invalid URL"):
        fetch_article(f"{server}x/", allow_private=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(InputError, match="download failed"):
        fetch_article(f"http://127.0.0.1:{closed_port}/", timeout=5.0, allow_private=True)


def test_a_host_that_does_not_resolve_is_a_download_failure(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(urls.socket, "getaddrinfo", no_such_host)
    with pytest.raises(InputError) as err:
        fetch_article("http://harbor-daily.invalid/story")
    assert "download failed" in err.value.message
    assert "cannot resolve host 'harbor-daily.invalid'" in err.value.message


def test_read_inputs_dispatches_urls_and_keeps_going(server, tmp_path):
    local = tmp_path / "local.txt"
    local.write_text("Local Title\n\nLocal body.")
    batch = read_inputs(
        [f"{server}/news/shuttle-diplomacy.html", f"{server}/missing", str(local)],
        load_rules(),
        allow_private_urls=True,
    )
    assert [a.id for a in batch.articles] == ["127.0.0.1-news-shuttle-diplomacy", "local"]
    assert [(e.path, "HTTP 404" in e.message) for e in batch.errors] == [
        (f"{server}/missing", True)
    ]


def test_environment_proxies_are_not_used(server, monkeypatch):
    with socket.socket() as probe:  # a proxy that is not there
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{dead}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    article = fetch_article(f"{server}/news/shuttle-diplomacy.html", allow_private=True)
    assert article.title.startswith("Leaders Revive")


# ---------------------------------------------------------------- address checks


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.20.30.40", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("100.127.255.254", "carrier-grade NAT"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("fec0::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("ff0e::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.10", "reserved"),
        ("198.18.0.1", "reserved"),
        ("2001:db8::1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::7f00:1", "loopback"),
        ("64:ff9b::a9fe:a9fe", "link-local"),
        ("2002:7f00:1::1", "loopback"),
        ("2002:c0a8:101::1", "private"),
        ("::127.0.0.1", "reserved"),
        ("::ffff:0:7f00:1", "reserved"),
        ("2001::1", "reserved"),
    ],
)
def test_non_public_addresses_are_refused(address, reason):
    refusal = urls.address_refusal(ipaddress.ip_address(address))
    assert refusal is not None and reason in refusal


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "93.184.216.34", "2606:4700::6810:84e5", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_public_addresses_pass(address):
    assert urls.address_refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/story.html", "only http and https"),
        ("gopher://example.org:70/", "only http and https"),
        ("http://editor:secret@example.org/story", "user name or password"),
        ("http://editor@example.org/story", "user name or password"),
        ("http://example.org:25/", "port 25"),
        ("https://example.org:6379x/", "invalid port"),
        ("http://example.org:10080/", "port 10080"),
    ],
)
def test_url_refusal_names_the_problem_and_the_fix(url, words):
    refusal = urls.url_refusal(url)
    assert refusal is not None and words in refusal and " — " in refusal


@pytest.mark.parametrize(
    "url", ["http://example.org/", "https://example.org:8443/a", "HTTPS://EXAMPLE.ORG:8080/"]
)
def test_ordinary_web_urls_pass(url):
    assert urls.url_refusal(url) is None


def _refused(url: str, **kwargs) -> InputError:
    with pytest.raises(InputError) as err:
        fetch_article(url, timeout=5.0, **kwargs)
    assert err.value.path == url
    assert err.value.message.startswith("refused: ")
    return err.value


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("localhost", "loopback"),
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("2130706433", "loopback"),  # 127.0.0.1 written as one number
        ("0x7f.0.0.1", "loopback"),
        ("127.1", "loopback"),
        ("0.0.0.0", "unspecified"),
    ],
)
def test_the_test_server_is_not_reached_without_allow_private(httpd, server, host, reason):
    url = f"http://{host}:{httpd.port}/news/shuttle-diplomacy.html"
    error = _refused(url)
    assert reason in error.message
    assert "--allow-private-urls" in error.message and "save the page" in error.message
    assert httpd.seen == []  # refused before any connection


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/admin", "private"),
        ("http://192.168.0.1/", "private"),
        ("http://100.100.100.200/latest/meta-data", "carrier-grade NAT"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "private"),
        ("http://[fe80::a9fe:a9fe]/", "link-local"),
        ("http://224.0.0.251/", "multicast"),
    ],
)
def test_private_literal_addresses_are_refused_without_network(url, reason):
    assert reason in _refused(url).message


def test_a_redirect_to_cloud_metadata_is_refused(server, httpd, loopback_is_public):
    target = "http://169.254.169.254/latest/meta-data/iam/"
    url = f"{server}/redirect?to={target}"
    error = _refused(url)
    assert f"redirected to {target}: 169.254.169.254 is a link-local address" in error.message
    assert "--allow-private-urls" in error.message
    assert [path for path, _ in httpd.seen] == [f"/redirect?to={target}"]  # hop 1 was fetched


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("http://localhost:9/", "port 9"),  # checked before the address
        ("http://[::1]:8080/", "loopback"),
        ("http://10.1.1.1/", "private"),
        ("file:///etc/passwd", "only http and https"),
        ("http://editor:pw@127.0.0.1/", "user name or password"),
    ],
)
def test_every_redirect_hop_is_checked(server, httpd, loopback_is_public, target, words):
    url = f"{server}/redirect?to={target}"
    error = _refused(url)
    assert "redirected to " in error.message and words in error.message
    assert len(httpd.seen) == 1


def test_a_second_redirect_hop_is_checked_too(server, httpd, loopback_is_public):
    inner = f"{server}/redirect?to=http://169.254.169.254/"
    error = _refused(f"{server}/redirect?to={inner}")
    assert "redirected to http://169.254.169.254/" in error.message
    assert len(httpd.seen) == 2


def test_allow_private_reaches_a_private_redirect_target(server, httpd):
    url = f"{server}/redirect?to=http://localhost:{httpd.port}/news/shuttle-diplomacy.html"
    assert fetch_article(url, allow_private=True).title.startswith("Leaders Revive")


def test_the_checked_address_is_the_one_connected_to(
    httpd, server, loopback_is_public, monkeypatch
):
    """DNS rebinding: a second lookup would answer 10.0.0.7; the client must never ask it."""
    answers = iter([["127.0.0.1"]])
    calls: list[str] = []

    def rebinding_dns(host, port):
        calls.append(host)
        return next(answers, ["10.0.0.7"])

    monkeypatch.setattr(urls, "resolve", rebinding_dns)
    url = f"http://news.example-rebind.test:{httpd.port}/news/shuttle-diplomacy.html"
    article = fetch_article(url)
    assert article.title.startswith("Leaders Revive")
    assert calls == ["news.example-rebind.test"]
    # the server saw the name (Host header), while the socket went to the checked address
    assert httpd.seen == [
        ("/news/shuttle-diplomacy.html", f"news.example-rebind.test:{httpd.port}")
    ]
    error = _refused(url)  # the next connection gets the rebinding answer
    assert "news.example-rebind.test resolves to 10.0.0.7, a private-network" in error.message


def test_one_private_answer_among_public_ones_refuses_the_host(
    httpd, server, loopback_is_public, monkeypatch
):
    monkeypatch.setattr(urls, "resolve", lambda host, port: ["127.0.0.1", "192.168.7.7"])
    error = _refused(f"http://mixed.example-news.test:{httpd.port}/")
    assert "192.168.7.7" in error.message
    assert httpd.seen == []


def _tls_files(tmp: Path, name: str) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for ``name``: (ca.pem, cert.pem, key.pem)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def certificate(subject, issuer, key, signer, *, ca):
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False
            )
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = certificate("l10n test CA", "l10n test CA", ca_key, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = certificate(name, "l10n test CA", key, ca_key, ca=False)
    pem = serialization.Encoding.PEM
    paths = (tmp / "ca.pem", tmp / "cert.pem", tmp / "key.pem")
    paths[0].write_bytes(ca_cert.public_bytes(pem))
    paths[1].write_bytes(cert.public_bytes(pem))
    paths[2].write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


@pytest.fixture
def tls_server(tmp_path):
    import ssl

    ca, cert, key = _tls_files(tmp_path, "news.example-tls.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = Server()
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, ca
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize(
    ("name", "works"),
    [("news.example-tls.test", True), ("other.example-tls.test", False)],
)
def test_https_checks_the_certificate_against_the_name_not_the_address(
    tls_server, loopback_is_public, monkeypatch, name, works
):
    server, ca = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    monkeypatch.setattr(urls, "resolve", lambda host, port: ["127.0.0.1"])
    url = f"https://{name}:{server.port}/news/shuttle-diplomacy.html"
    if works:
        assert fetch_article(url, timeout=10).title.startswith("Leaders Revive")
        assert server.seen == [("/news/shuttle-diplomacy.html", f"{name}:{server.port}")]
    else:
        with pytest.raises(InputError, match=r"download failed.*CERTIFICATE_VERIFY_FAILED"):
            fetch_article(url, timeout=10)
        assert server.seen == []


# ---------------------------------------------------------------- ids


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
