"""Hostile cases: what an attacker or an unlucky user feeds l10n.

Each case asserts the whole outcome, not just "an error happened": a one-line message that
names the input and says what to do, the rest of the batch done, nothing written outside
the output (or package) folder, and no traceback.

Sections: local inputs, URL inputs (server-side request forgery), package archives.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES
from modelkit import build_test_package

from l10n.articles import urls
from l10n.articles.boilerplate import load_rules
from l10n.articles.read import InputBatch, read_inputs
from l10n.cli import main
from l10n.models import EngineIdentity
from l10n.mt.engines.argos import packages as ap

EXAMPLE_PAGE = (
    Path(__file__).resolve().parent.parent / "examples/articles/shuttle-diplomacy.html"
).read_bytes()


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its bytes (None for folders and links)."""
    tree: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        plain = path.is_file() and not path.is_symlink()
        tree[str(path.relative_to(root))] = path.read_bytes() if plain else None
    return tree


def assert_clear(message: str, *names: str) -> None:
    """One line, names what it is about, and says what to do after the dash."""
    assert "\n" not in message and "Traceback" not in message
    assert " — " in message, message
    for name in names:
        assert name in message, (name, message)


# ---------------------------------------------------------------- local inputs


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A newsroom folder: one good story in inbox/, and things outside it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text("Harbor Daily Title\n\nA good story.", encoding="utf-8")
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret Title\n\nNot for translation.")
    return tmp_path


def read_batch(desk: Path, *inputs: str, **options) -> InputBatch:
    """Read inbox/ plus ``inputs``; the good story must survive whatever else is there."""
    before = snapshot(desk)
    batch = read_inputs([str(desk / "inbox"), *inputs], load_rules(), **options)
    assert "good" in [a.id for a in batch.articles]
    assert snapshot(desk) == before  # reading writes nothing anywhere
    return batch


def test_symlink_to_a_file_outside_the_folder_is_not_followed(desk: Path):
    (desk / "inbox" / "leak.txt").symlink_to(desk / "private" / "secret.txt")
    batch = read_batch(desk)
    assert [a.id for a in batch.articles] == ["good"]
    (error,) = batch.errors
    assert_clear(str(error), str(desk / "inbox" / "leak.txt"), "not followed", "pass its target")


def test_symlink_to_a_folder_outside_is_not_descended(desk: Path):
    (desk / "inbox" / "more").symlink_to(desk / "private", target_is_directory=True)
    batch = read_batch(desk)
    assert [a.id for a in batch.articles] == ["good"]
    (error,) = batch.errors
    assert_clear(str(error), str(desk / "inbox" / "more"), "outside")


def test_symlink_to_an_absolute_system_path_is_not_followed(desk: Path):
    (desk / "inbox" / "passwd.txt").symlink_to("/etc/passwd")
    batch = read_batch(desk)
    assert [a.id for a in batch.articles] == ["good"]
    assert_clear(str(batch.errors[0]), "passwd.txt", "not followed")


def test_symlink_loop_in_a_folder_neither_hangs_nor_crashes(desk: Path):
    (desk / "inbox" / "loop").symlink_to(desk / "inbox" / "loop")
    (desk / "inbox" / "again.txt").symlink_to(desk / "inbox" / "again.txt")
    batch = read_batch(desk)
    assert [a.id for a in batch.articles] == ["good"]
    (error,) = batch.errors  # the folder loop has no supported suffix: walked past
    assert_clear(str(error), str(desk / "inbox" / "again.txt"), "broken symbolic link")


def test_broken_symlink_in_a_folder_is_reported(desk: Path):
    (desk / "inbox" / "gone.txt").symlink_to(desk / "nowhere.txt")
    batch = read_batch(desk)
    (error,) = batch.errors
    assert_clear(str(error), "gone.txt", "broken symbolic link", "fix or remove it")


def test_symlink_inside_the_folder_and_a_directly_named_link_are_read(desk: Path):
    """Decision: a link that stays inside the folder is read; a file named directly is read
    wherever it points (the user chose it)."""
    (desk / "inbox" / "alias.txt").symlink_to(desk / "inbox" / "good.txt")
    named = desk / "named.txt"
    named.symlink_to(desk / "private" / "secret.txt")
    batch = read_batch(desk, str(named))
    assert batch.errors == []
    assert sorted(a.id for a in batch.articles) == ["alias", "good", "named"]


@pytest.mark.parametrize(
    "lang", ["../../en", "en-../../x", "english", "e", "ja jp", "<script>", "x" * 500]
)
def test_jsonl_lang_that_is_not_a_code_fails_only_its_line(desk: Path, lang: str):
    feed = desk / "inbox" / "feed.jsonl"
    records = [("ok-1", "en-US"), ("bad", lang), ("ok-3", "KO")]
    feed.write_text(
        "".join(
            json.dumps({"id": i, "title": "T", "body": f"Body of {i}.", "lang": code}) + "\n"
            for i, code in records
        ),
        encoding="utf-8",
    )
    batch = read_batch(desk)
    hints = {a.id: a.lang_hint for a in batch.articles}
    assert hints == {"good": None, "ok-1": "en", "ok-3": "ko"}
    (error,) = batch.errors
    assert (error.path, error.line) == (str(feed), 2)
    assert_clear(str(error), f"{feed}:2", '"lang"', "ISO 639 code")
    assert len(str(error)) < 400  # a hostile value is not echoed in full


def test_a_file_over_the_size_cap_is_skipped_with_the_option_to_raise_it(desk: Path):
    big = desk / "inbox" / "transcript.txt"
    big.write_text("Long Title\n\n" + "word " * 600_000, encoding="utf-8")  # 3 MB
    batch = read_batch(desk, max_bytes=2_000_000)
    assert [a.id for a in batch.articles] == ["good"]
    (error,) = batch.errors
    assert_clear(str(error), str(big), "3 MB", "2 MB limit", "--max-input-mb 4")
    raised = read_inputs([str(big)], load_rules(), max_bytes=4_000_000)
    assert raised.errors == [] and raised.articles[0].id == "transcript"


def test_a_named_pipe_is_refused_without_blocking(desk: Path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    fifo = desk / "inbox" / "stream.txt"
    os.mkfifo(fifo)
    named = read_batch(desk, str(fifo))
    assert [a.id for a in named.articles] == ["good"]  # the walk skipped it silently
    (error,) = named.errors
    assert_clear(str(error), str(fifo), "not a regular file")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example-news.test/a.html", "gopher://127.0.0.1:70/"]
)
def test_inputs_with_other_url_schemes_are_refused(desk: Path, url: str):
    batch = read_batch(desk, url)
    (error,) = batch.errors
    assert error.path == url
    assert_clear(str(error), url, "only http and https")


# ---------------------------------------------------------------- URL inputs


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.seen.append(self.path)
        parts = urlsplit(self.path)
        if parts.path in ("/redirect", "/loop"):
            target = parse_qs(parts.query)["to"][0] if parts.path == "/redirect" else "/loop"
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(EXAMPLE_PAGE)))
        self.end_headers()
        self.wfile.write(EXAMPLE_PAGE)


@pytest.fixture(scope="module")
def web():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def site(web):
    """The local server's base URL, its request log emptied."""
    web.seen.clear()
    return f"http://127.0.0.1:{web.server_address[1]}"


@pytest.fixture
def loopback_is_public(monkeypatch):
    """127.0.0.1 stands in for a public news site; every other address is judged for real."""
    real = urls.address_refusal
    monkeypatch.setattr(
        urls, "address_refusal", lambda ip: None if str(ip) == "127.0.0.1" else real(ip)
    )


def refused_url(desk: Path, url: str, *words: str) -> None:
    batch = read_batch(desk, url)
    (error,) = batch.errors
    assert error.path == url and error.message.startswith("refused: ")
    assert_clear(str(error), url, *words)


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("localhost", "loopback"),
        ("2130706433", "loopback"),  # 127.0.0.1 as one decimal number
        ("[::ffff:127.0.0.1]", "loopback"),
        ("[::1]", "loopback"),
        ("0.0.0.0", "unspecified"),
    ],
)
def test_urls_to_this_machine_are_refused_before_connecting(desk, web, site, host, why):
    url = f"http://{host}:{web.server_address[1]}/news/story.html"
    refused_url(desk, url, why, "--allow-private-urls", "save the page as .html")
    assert web.seen == []


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "link-local"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "private-network"),
        ("http://10.0.0.5:8080/admin", "private-network"),
        ("http://172.20.1.1/", "private-network"),
        ("http://100.100.100.200/latest/meta-data/", "carrier-grade NAT"),
        ("http://[fe80::1]/", "link-local"),
        ("http://239.255.255.250:1900/", "multicast"),
    ],
)
def test_urls_into_private_networks_are_refused(desk, url, why):
    refused_url(desk, url, why, "--allow-private-urls")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://editor:hunter2@example-news.test/story", "user name or password"),
        ("http://example-news.test:25/story", "port 25"),
        ("http://example-news.test:6667/story", "port 6667"),
    ],
)
def test_urls_with_credentials_or_non_web_ports_are_refused(desk, url, words):
    refused_url(desk, url, words)


def test_a_redirect_from_a_public_site_to_cloud_metadata_is_refused(
    desk, web, site, loopback_is_public
):
    metadata = "http://169.254.169.254/latest/meta-data/"
    url = f"{site}/redirect?to={metadata}"
    refused_url(desk, url, f"redirected to {metadata}", "link-local", "--allow-private-urls")
    assert web.seen == [f"/redirect?to={metadata}"]  # the first hop was fetched, not the second


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("file:///etc/passwd", "only http and https"),
        ("http://[::1]/", "loopback"),
        ("http://192.168.1.1/", "private-network"),
        ("http://example-news.test:22/", "port 22"),
    ],
)
def test_every_redirect_hop_is_checked_like_the_first(
    desk, web, site, loopback_is_public, target, words
):
    refused_url(desk, f"{site}/redirect?to={target}", "redirected to ", words)
    assert len(web.seen) == 1


def test_a_redirect_loop_ends_with_a_clear_error(desk, web, site):
    batch = read_batch(desk, f"{site}/loop", allow_private_urls=True)
    (error,) = batch.errors
    assert_clear(str(error), f"{site}/loop", "more than 5 redirects")
    assert len(web.seen) == 6


def test_dns_rebinding_cannot_swap_the_address_after_the_check(
    desk, web, site, loopback_is_public, monkeypatch
):
    answers = iter([["127.0.0.1"]])
    monkeypatch.setattr(urls, "resolve", lambda host, port: next(answers, ["10.9.8.7"]))
    url = f"http://harbor-daily.test:{web.server_address[1]}/news/story.html"
    first = read_batch(desk, url)
    assert first.errors == [] and len(first.articles) == 2  # connected to the checked answer
    refused_url(desk, url, "harbor-daily.test resolves to 10.9.8.7", "private-network")


def test_allow_private_urls_is_the_one_switch_that_reaches_the_local_server(desk, web, site):
    url = f"http://localhost:{web.server_address[1]}/news/story.html"
    batch = read_batch(desk, url, allow_private_urls=True)
    assert batch.errors == []
    assert [a.title for a in batch.articles if a.input_path == url] == [
        "Leaders Revive Shuttle Diplomacy Between Tokyo and Seoul"
    ]


# ---------------------------------------------------------------- package archives


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = tmp_path_factory.mktemp("kit")
    return {
        "en_ja": build_test_package(built, "en", "ja"),
        "ja_en": build_test_package(built, "ja", "en"),
    }


def rezip(src: Path, dest: Path, *, rename=None, data=None, extra=(), drop=()) -> Path:
    """Copy archive ``src`` with entries renamed, rewritten, dropped or added."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            name = rename(info.filename) if rename else info.filename
            if any(info.filename.endswith(d) for d in drop):
                continue
            body = zin.read(info)
            zout.writestr(name, data(name, body) if data else body)
        for name, body in extra:
            zout.writestr(name, body)
    return dest


def metadata_edit(**fields):
    def edit(name: str, body: bytes) -> bytes:
        if name.endswith("/metadata.json"):
            return json.dumps({**json.loads(body), **fields}).encode()
        return body

    return edit


@pytest.fixture
def shelf(kit, tmp_path: Path) -> Path:
    """A package folder holding the ja→en package, inside a workspace to watch."""
    packages = tmp_path / "work" / "packages"
    ap.install_archive(kit["ja_en"], packages)
    return packages


def refused_archive(archive: Path, packages: Path, *words: str, **options) -> str:
    """The install fails with a clear message and leaves every folder exactly as it was."""
    packages.parent.mkdir(parents=True, exist_ok=True)
    root = packages.parent.parent  # the test's tmp_path: archives, work/ and packages/
    before = snapshot(root)
    with pytest.raises(ap.PackageError) as info:
        ap.install_archive(archive, packages, **options)
    message = str(info.value)
    assert_clear(message, str(archive), *words)
    after = snapshot(root)
    assert after == before, sorted(set(after) ^ set(before))
    return message


@pytest.mark.slow
def test_a_package_whose_name_lies_about_its_pair_cannot_replace_another(kit, shelf, tmp_path):
    liar = rezip(
        kit["en_ja"],
        tmp_path / "translate-en_ja-9_9.argosmodel",
        data=metadata_edit(from_code="ja", to_code="en"),
    )
    refused_archive(liar, shelf, "file name", "says en→ja", "metadata.json says ja→en")
    assert [p.to_code for p in ap.installed_packages(shelf)] == ["en"]


@pytest.mark.slow
def test_a_package_whose_folder_lies_about_its_pair_is_refused(kit, shelf, tmp_path):
    liar = rezip(
        kit["en_ja"],
        tmp_path / "upload.argosmodel",
        rename=lambda n: n.replace("translate-en_ja-0_1", "translate-ja_en-0_1", 1),
    )
    refused_archive(liar, shelf, "folder 'translate-ja_en-0_1'", "metadata.json says en→ja")


@pytest.mark.slow
def test_a_package_cannot_take_the_folder_of_another_pair(kit, shelf, tmp_path):
    """An en→ja package installs into translate-en_ja-0_1; if a ko→en package sits there
    under that name (installed by hand), it is not deleted unless --replace names it."""
    squatter = shelf / "translate-en_ja-0_1"
    (shelf / "translate-ja_en-0_1").rename(squatter)  # a mislabelled folder by hand
    archive = rezip(kit["en_ja"], tmp_path / "plain-name.argosmodel")
    message = refused_archive(archive, shelf, "--replace translate-en_ja-0_1", "ja→en package")
    assert "would take the place of" in message
    pkg = ap.install_archive(archive, shelf, replace=["translate-en_ja-0_1"])
    assert [(p.from_code, p.to_code) for p in ap.installed_packages(shelf)] == [("en", "ja")]
    assert pkg.path == squatter


@pytest.mark.slow
def test_a_foreign_folder_in_the_install_place_is_kept_without_replace(kit, tmp_path):
    packages = tmp_path / "work" / "packages"
    (packages / "translate-en_ja-0_1").mkdir(parents=True)
    (packages / "translate-en_ja-0_1" / "notes.txt").write_text("mine")
    refused_archive(kit["en_ja"], packages, "a folder that is not a package", "--replace")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"from_code": "../../en"}, "from_code '../../en' is not a language code"),
        ({"to_code": "ja/../../../etc"}, "to_code"),
        ({"to_code": "JA"}, "to_code 'JA'"),
        ({"to_code": "ja-JP"}, "to_code 'ja-JP'"),
        ({"to_code": 7}, "to_code '7'"),
        ({"to_code": "en"}, "translates en into itself"),
        ({"type": "sbd"}, "type 'sbd'"),
        ({"package_version": "1/../../x"}, "package_version"),
    ],
)
def test_metadata_with_unsafe_codes_or_fields_is_refused(kit, tmp_path, fields, words):
    bad = rezip(kit["en_ja"], tmp_path / "bad.argosmodel", data=metadata_edit(**fields))
    refused_archive(bad, tmp_path / "work" / "packages", words, "download it again")


@pytest.mark.slow
def test_a_zip_bomb_entry_is_refused_by_its_ratio(kit, tmp_path):
    bomb = rezip(
        kit["en_ja"],
        tmp_path / "bomb.argosmodel",
        extra=[("translate-en_ja-0_1/model/padding.bin", b"\0" * 30_000_000)],
    )
    assert bomb.stat().st_size < 2_000_000
    refused_archive(bomb, tmp_path / "work" / "packages", "padding.bin", "ratio over 100")


def forge(archive: Path, member: str, *, size: int | None = None, flags: int = 0) -> None:
    """Rewrite what a zip declares for ``member`` in both its headers, as a forger would:
    its unpacked ``size``, and general-purpose ``flags`` bits to set (0x1: encrypted)."""
    raw = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        local, at = zf.getinfo(member).header_offset, zf.start_dir
    headers = [(local, 6, 22)]  # (header, flags field, unpacked size field)
    while raw[at : at + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", raw, at + 28)
        if raw[at + 46 : at + 46 + name_len] == member.encode():
            headers.append((at, 8, 24))
        at += 46 + name_len + extra_len + comment_len
    for header, flag_field, size_field in headers:
        old_flags = struct.unpack_from("<H", raw, header + flag_field)[0]
        struct.pack_into("<H", raw, header + flag_field, old_flags | flags)
        if size is not None:
            struct.pack_into("<I", raw, header + size_field, size)
    archive.write_bytes(bytes(raw))


@pytest.mark.slow
def test_a_4mb_archive_declaring_3gb_is_refused_before_unpacking(kit, tmp_path):
    archive = rezip(
        kit["en_ja"],
        tmp_path / "huge.argosmodel",
        extra=[("translate-en_ja-0_1/model/extra.bin", os.urandom(3_000_000))],
    )
    forge(archive, "translate-en_ja-0_1/model/extra.bin", size=3_000_000_000)
    assert archive.stat().st_size < 5_000_000
    refused_archive(archive, tmp_path / "work" / "packages", "3,000 MB", "zip bomb")


@pytest.mark.slow
def test_total_size_and_entry_count_limits_are_configurable(kit, tmp_path):
    packages = tmp_path / "work" / "packages"
    small = ap.ArchiveLimits(max_unpacked_bytes=500_000)
    refused_archive(kit["en_ja"], packages, "more than the 500,000 bytes allowed", limits=small)
    few = ap.ArchiveLimits(max_entries=3)
    refused_archive(kit["en_ja"], packages, "more than the 3 allowed", limits=few)


@pytest.mark.slow
def test_a_flipped_byte_is_a_damaged_archive_not_a_traceback(kit, shelf, tmp_path):
    raw = bytearray(kit["en_ja"].read_bytes())
    with zipfile.ZipFile(kit["en_ja"]) as zf:
        info = zf.getinfo("translate-en_ja-0_1/model/model.bin")
    raw[info.header_offset + 30 + len(info.filename) + info.compress_size // 2] ^= 0x40
    flipped = tmp_path / "flipped.argosmodel"
    flipped.write_bytes(bytes(raw))
    refused_archive(flipped, shelf, "damaged", "download it again", "nothing was installed")
    assert [p.from_code for p in ap.installed_packages(shelf)] == ["ja"]


@pytest.mark.slow
@pytest.mark.parametrize("cut", ["half", "directory"])
def test_a_truncated_or_mangled_archive_is_refused(kit, tmp_path, cut):
    raw = kit["en_ja"].read_bytes()
    broken = tmp_path / "broken.argosmodel"
    if cut == "half":
        broken.write_bytes(raw[: len(raw) // 2])
        words = "not a zip archive"
    else:  # the central directory's first entry no longer starts where it should
        at = raw.rfind(b"PK\x05\x06")
        offset = struct.unpack_from("<I", raw, at + 16)[0]
        broken.write_bytes(raw[:offset] + b"XX" + raw[offset + 2 :])
        words = "download it again"
    refused_archive(broken, tmp_path / "work" / "packages", words)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ([("translate-en_ja-0_1/model", b"file where a folder is")], "both a file and a folder"),
        ([("translate-en_ja-0_1/README.md", b"again")], "appears twice"),
        ([("translate-en_ja-0_1/readme.MD", b"case")], "differ only in case"),
    ],
)
def test_name_clashes_inside_an_archive_are_refused(kit, tmp_path, extra, words):
    archive = rezip(kit["en_ja"], tmp_path / "clash.argosmodel", extra=extra)
    refused_archive(archive, tmp_path / "work" / "packages", words)


@pytest.mark.slow
def test_an_encrypted_entry_is_refused(kit, tmp_path):
    archive = rezip(kit["en_ja"], tmp_path / "locked.argosmodel")
    forge(archive, "translate-en_ja-0_1/README.md", flags=0x1)
    refused_archive(archive, tmp_path / "work" / "packages", "encrypted")


@pytest.mark.slow
def test_a_full_disk_while_unpacking_leaves_nothing_half_installed(kit, shelf, monkeypatch):
    real_copy = ap.shutil.copyfileobj

    def fill_then_fail(src, dst, length=0):
        dst.write(src.read(1000))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ap.shutil, "copyfileobj", fill_then_fail)
    message = refused_archive(kit["en_ja"], shelf, "No space left on device", "free some space")
    assert "--packages-dir" in message and "nothing was installed" in message
    monkeypatch.setattr(ap.shutil, "copyfileobj", real_copy)
    assert [p.from_code for p in ap.installed_packages(shelf)] == ["ja"]
    assert ap.install_archive(kit["en_ja"], shelf).to_code == "ja"  # the retry works


@pytest.mark.slow
def test_too_little_free_space_is_found_before_unpacking(kit, shelf, monkeypatch):
    usage = ap.shutil.disk_usage(shelf)
    monkeypatch.setattr(ap.shutil, "disk_usage", lambda path: usage._replace(free=10_000))
    refused_archive(kit["en_ja"], shelf, "unpacking needs", "but", "has 10,000 bytes free")


@pytest.mark.slow
def test_a_packages_dir_that_is_a_file_is_a_clear_error(kit, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    blocker = work / "packages"
    blocker.write_text("not a folder")
    refused_archive(kit["en_ja"], blocker, str(blocker), "a file stands where a folder")


def _cli(*args: str, packages: Path):
    result = CliRunner().invoke(
        main, ["models", *args, "--packages-dir", str(packages)], catch_exceptions=True
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("code", ["../../en", "ja/../../x", "english", "en-../../x"])
def test_models_install_refuses_codes_that_are_not_languages(tmp_path, code):
    result = _cli("install", code, packages=tmp_path / "packages")
    assert result.exit_code == 2
    assert code in result.output and "ISO 639" in result.output
    assert not (tmp_path / "packages").exists()


@pytest.mark.slow
def test_models_install_goes_on_after_a_bad_archive_and_exits_1(kit, tmp_path):
    damaged = tmp_path / "damaged.argosmodel"
    damaged.write_bytes(kit["en_ja"].read_bytes()[:5000])
    packages = tmp_path / "packages"
    result = _cli(
        "install",
        "--allow-unpinned",
        "--file",
        str(damaged),
        "--file",
        str(kit["ja_en"]),
        packages=packages,
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert_clear(lines[0], str(damaged), "not a zip archive")
    assert lines[1].startswith("installed: translate-ja_en")
    digest = hashlib.sha256(kit["ja_en"].read_bytes()).hexdigest()
    assert [p.sha256 for p in ap.installed_packages(packages)] == [digest]


@pytest.mark.slow
def test_models_install_limits_and_replace_are_cli_options(kit, tmp_path):
    packages = tmp_path / "packages"
    limited = _cli(
        "install",
        "--allow-unpinned",
        "--max-unpacked-mb",
        "1",
        "--file",
        str(kit["en_ja"]),
        packages=packages,
    )
    assert limited.exit_code == 1 and "more than the 1 MB allowed" in limited.output
    (packages / "translate-en_ja-0_1").mkdir(parents=True)
    squatted = _cli("install", "--allow-unpinned", "--file", str(kit["en_ja"]), packages=packages)
    assert squatted.exit_code == 1 and "--replace translate-en_ja-0_1" in squatted.output
    done = _cli(
        "install",
        "--allow-unpinned",
        "--replace",
        "translate-en_ja-0_1",
        "--file",
        str(kit["en_ja"]),
        packages=packages,
    )
    assert done.exit_code == 0, done.output
    assert "replaced translate-en_ja-0_1" in done.output


# ---------------------------------------------------------------- run folders and the terminal


def cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    "out",
    [
        "http://127.0.0.1:9/outputs",
        "ftp://example.org/outputs",
        "zip://outputs.zip",
        "simplecache::s3://bucket/outputs",
        "github://owner:repo@main/",
    ],
)
def test_output_storage_outside_the_allow_list_is_refused(tmp_path: Path, out: str) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Title\n\nBody of the story.", encoding="utf-8")
    before = snapshot(tmp_path)
    result = cli("translate", str(story), "--engine", "pseudo", "--out", out)
    assert result.exit_code == 2
    assert_clear(result.output.strip().splitlines()[-1], "not allowed")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("run_id", ["monday\n", "../monday", "/abs", ".hidden", "a" * 81, "x y"])
def test_unsafe_run_ids_are_usage_errors(tmp_path: Path, run_id: str) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Title\n\nBody of the story.", encoding="utf-8")
    result = cli("translate", str(story), "--out", str(tmp_path / "out"), "--run-id", run_id)
    assert result.exit_code == 2
    assert "not a safe folder name" in result.output
    assert not (tmp_path / "out").exists()


def test_run_ids_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "Monday").mkdir(parents=True)
    story = tmp_path / "story.txt"
    story.write_text("Title\n\nBody of the story.", encoding="utf-8")
    result = cli("translate", str(story), "--out", str(out), "--run-id", "monday")
    assert result.exit_code == 2
    assert_clear(result.output.strip(), "Monday", "case")
    assert sorted(p.name for p in out.iterdir()) == ["Monday"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_is_found_before_translating(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    story = tmp_path / "story.txt"
    story.write_text("Title\n\nBody of the story.", encoding="utf-8")
    try:
        result = cli("translate", str(story), "--out", str(out))
    finally:
        out.chmod(0o700)
    assert result.exit_code == 2
    assert_clear(result.output.strip(), str(out))


def test_a_full_disk_is_found_before_translating(tmp_path: Path, monkeypatch) -> None:
    from l10n.run.storage import LocalStorage

    monkeypatch.setattr(LocalStorage, "free_bytes", lambda self: 3_000_000)
    story = tmp_path / "story.txt"
    story.write_text("Title\n\nBody of the story.", encoding="utf-8")
    result = cli("translate", str(story), "--out", str(tmp_path / "out"), "--run-id", "full")
    assert result.exit_code == 2
    assert_clear(result.output.strip(), "only 3 MB free", "--out")


def test_a_second_writer_of_the_same_run_is_refused(tmp_path: Path) -> None:
    from l10n.run.store import Run

    story = tmp_path / "story.txt"
    story.write_text("Title\n\nBody of the story.", encoding="utf-8")
    with Run.create(str(tmp_path / "out"), "shared").lock():
        result = cli("translate", str(story), "--out", str(tmp_path / "out"), "--run-id", "shared")
    assert result.exit_code == 1
    assert_clear(result.output.strip(), "shared", "being written")
    assert sorted(p.name for p in (tmp_path / "out" / "shared").iterdir()) == [".lock"]


def _run_with_article_id(tmp_path: Path, article_id: str) -> Path:
    fixture = Path(__file__).parent / "fixtures" / "run_sample"
    run_dir = tmp_path / "runs" / "sample"
    import shutil

    shutil.copytree(fixture, run_dir)
    info = json.loads((run_dir / "run.json").read_text("utf-8"))
    info["articles"]["done"][0]["id"] = article_id
    (run_dir / "run.json").write_text(json.dumps(info), encoding="utf-8")
    return run_dir


@pytest.mark.parametrize("article_id", ["../../victim", "/tmp/victim", "nara/../../victim"])
@pytest.mark.parametrize("command", ["report", "reapply"])
def test_report_and_reapply_never_follow_ids_out_of_the_run(
    tmp_path: Path, article_id: str, command: str
) -> None:
    run_dir = _run_with_article_id(tmp_path, article_id)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "manifest.json").write_text("{}", encoding="utf-8")
    before = snapshot(tmp_path)
    glossary = Path(__file__).resolve().parent.parent / "glossaries" / "leaders.yaml"
    args = (
        ["report", str(run_dir)]
        if command == "report"
        else ["glossary", "reapply", str(run_dir), "--glossary", str(glossary)]
    )
    result = cli(*args)
    assert result.exit_code == 2
    assert_clear(result.output.strip(), "run.json", "not a path inside the run folder")
    assert snapshot(tmp_path) == before


def test_markup_in_paths_and_reasons_prints_as_written(tmp_path: Path) -> None:
    from rich.console import Console

    from l10n.cli.translate_cmd import print_summary
    from l10n.models import ArticleOutcome
    from l10n.run.summary import RunSummary

    hostile = "[/] [bold red]x[/bold red] [link=javascript:alert(1)]y[/link] \x1b]0;owned\x07"
    summary = RunSummary("r", "now", ["ja"], [EngineIdentity("pseudo", pseudo=True)], {})
    summary.outcomes = [
        ArticleOutcome(hostile, f"in/{hostile}.txt", "failed", f"HTTP 500 {hostile}"),
        ArticleOutcome("ok", "in/ok.txt", "skipped", hostile),
    ]
    summary.input_errors = [{"path": hostile, "line": 3, "message": hostile}]
    console = Console(record=True, width=300, color_system=None)
    print_summary(console, summary, f"/out/{hostile}")
    text = console.export_text()
    assert "[/] [bold red]x[/bold red]" in text
    assert "\x1b" not in text and "\\x1b]0;owned\\x07" in text


def test_review_shows_escape_sequences_instead_of_sending_them(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    import shutil

    shutil.copytree(Path(__file__).parent / "fixtures" / "run_sample", run_dir)
    segments = run_dir / "nara-summit" / "segments.jsonl"
    rows = [json.loads(line) for line in segments.read_text("utf-8").splitlines()]
    rows[0]["source"] = "Nara \x1b[2J\x1b]0;pwned\x07 summit \u202eevil"
    segments.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = cli("review", str(run_dir), "--article", "nara-summit")
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "\\x1b[2J" in result.output and "\\u202e" in result.output


def test_artifact_tables_show_ids_and_reasons_as_text() -> None:
    from markdown_it import MarkdownIt

    from l10n.flow.artifacts import article_markdown, article_rows, run_markdown
    from l10n.models import (
        Article,
        ArticleOutcome,
        ArticlePlan,
        LanguageGuess,
        QAFlag,
        Segment,
        TranslatedArticle,
        Translation,
    )
    from l10n.run.summary import RunSummary

    evil = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> **bold** | col"
    summary = RunSummary("r", "now", ["ja"], [EngineIdentity("pseudo", pseudo=True)], {})
    summary.outcomes = [
        ArticleOutcome(evil, "in.txt", "done", source_language=LanguageGuess("en", 1.0)),
        ArticleOutcome("other", "in.txt", "failed", evil),
    ]
    summary.warnings = [evil]
    rows = article_rows(summary)
    markdown = run_markdown(summary, "/out/r", None)
    plan = ArticlePlan(
        Article(evil, evil, [evil], "in.txt"),
        LanguageGuess("en", 1.0),
        segments=[Segment(evil, 0, -1, evil), Segment(evil, 1, 0, evil)],
        actions={"ja": "translate"},
    )
    flag = QAFlag(evil, evil)
    article = article_markdown(
        TranslatedArticle(
            plan,
            {
                "ja": [
                    Translation(0, "ja", evil, evil + "!", flags=[flag]),
                    Translation(1, "ja", evil, evil),
                ]
            },
        ),
        engine=evil,
        pseudo=True,
    )
    for text in [*(str(v) for row in rows for v in row.values()), markdown, article]:
        rendered = MarkdownIt("commonmark").render(text)  # as the Prefect UI renders it
        assert "<a " not in rendered and "<img" not in rendered
        # Our own markup (bold labels, struck-out MT) is fine; none may come from the text.
        assert "<strong>bold</strong>" not in rendered and "<table" not in rendered
    assert "[click](javascript:alert(1))" in MarkdownIt("commonmark").render(rows[0]["article"])


@pytest.mark.timeout(300)
def test_a_huge_segment_is_stored_in_linear_time(tmp_path: Path) -> None:
    from l10n.articles.read import article_from_text
    from l10n.correct.stage import correct_article
    from l10n.glossary import load_glossary
    from l10n.models import LanguageGuess, TranslatedArticle
    from l10n.mt.engines.pseudo import PseudoEngine
    from l10n.mt.translate import translate_plans
    from l10n.review.files import article_review_files
    from l10n.run.store import Run, RunContext
    from l10n.text.plan import plan_article

    glossary = load_glossary(Path(__file__).resolve().parent.parent / "glossaries/leaders.yaml")
    words = " ".join(
        f"Sanae Takaichi met Lee Jae Myung in Nara and talked item {i}" for i in range(4000)
    )
    article = article_from_text("One endless paragraph", words, id="endless")
    plan = plan_article(article, LanguageGuess("en", 1.0), ["ja", "ko"])
    machine = translate_plans([plan], PseudoEngine(), glossary)["endless"]
    translated = TranslatedArticle(plan, correct_article(plan, machine, glossary))
    run = Run.create(str(tmp_path), "long")
    ctx = RunContext(("ja", "ko"), (EngineIdentity("pseudo", pseudo=True),), {"sha256": ""})
    translated.engines = ctx.engines_for(translated.translations)
    run.write_article(translated, ctx, article_review_files(translated, "long"))
    assert run.is_complete(
        "endless", __import__("l10n.run.store", fromlist=["x"]).article_fingerprint(plan, ctx)
    )
    assert max(len(s.text) for s in plan.segments) > 200_000


def _l10n(args: list[str], log: Path, **kwargs) -> subprocess.Popen:
    """The command in the background, its output in files (a full pipe would block it)."""
    binary = Path(sys.executable).with_name("l10n")
    return subprocess.Popen(
        [str(binary), *args],
        stdout=(log.parent / f"{log.name}.out").open("w"),
        stderr=log.open("w"),
        env={**os.environ, "COLUMNS": "200"},
        **kwargs,
    )


@pytest.mark.slow
def test_runs_and_the_memory_are_private_whatever_the_umask(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Leaders meet\n\nSanae Takaichi met Lee Jae Myung in Nara.", "utf-8")
    log = tmp_path / "stderr.log"
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    process = _l10n(
        ["translate", str(story), "--engine", "pseudo", "--out", str(out), "--run-id", "r"],
        log,
        preexec_fn=lambda: os.umask(0o002),
    )
    assert process.wait(timeout=300) == 0, log.read_text()
    files = [p for p in out.rglob("*") if p.is_file() and p.name != ".lock"]
    folders = [p for p in (out / "r").rglob("*") if p.is_dir()] + [out / "r"]
    assert out / ".l10n-tm.sqlite" in files and out / "r" / "run.json" in files
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {oct(0o600)}
    assert {oct(p.stat().st_mode & 0o777) for p in folders} == {oct(0o700)}


def _modes_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: str | None) -> set[str]:
    from l10n.mt.memory.sqlite import SQLiteMemory
    from l10n.run.atomic import SHARED_GROUP_ENV, write_text_atomic

    if shared is None:
        monkeypatch.delenv(SHARED_GROUP_ENV, raising=False)
    else:
        monkeypatch.setenv(SHARED_GROUP_ENV, shared)
    old = os.umask(0o002)
    try:
        write_text_atomic(tmp_path / "run" / "article" / "en.txt", "text")
        SQLiteMemory(tmp_path / "tm" / "tm.sqlite").close()
    finally:
        os.umask(old)
    paths = [
        tmp_path / "run",
        tmp_path / "run" / "article",
        tmp_path / "run" / "article" / "en.txt",
        tmp_path / "tm",
        tmp_path / "tm" / "tm.sqlite",
    ]
    return {f"{p.relative_to(tmp_path)} {oct(p.stat().st_mode & 0o7777)}" for p in paths}


def test_shared_group_opens_runs_to_one_group_and_umask_follows_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import grp

    assert _modes_in(tmp_path / "a", monkeypatch, None) == {
        "run 0o700",
        "run/article 0o700",
        "run/article/en.txt 0o600",
        "tm 0o700",
        "tm/tm.sqlite 0o600",
    }
    group = grp.getgrgid(os.getgid()).gr_name
    assert _modes_in(tmp_path / "b", monkeypatch, group) == {
        "run 0o2770",
        "run/article 0o2770",
        "run/article/en.txt 0o660",
        "tm 0o2770",
        "tm/tm.sqlite 0o660",
    }
    assert (tmp_path / "b" / "run" / "article" / "en.txt").stat().st_gid == os.getgid()
    assert _modes_in(tmp_path / "c", monkeypatch, "umask") == {
        "run 0o775",
        "run/article 0o775",
        "run/article/en.txt 0o664",
        "tm 0o775",
        "tm/tm.sqlite 0o664",
    }


def test_an_unknown_shared_group_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    from l10n.run.atomic import SHARED_GROUP_ENV

    result = CliRunner().invoke(
        main,
        ["translate", "x.txt", "--out", str(tmp_path / "out"), "--shared-group", "no-such-grp"],
    )
    assert result.exit_code == 2
    assert "no such group" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    assert SHARED_GROUP_ENV not in os.environ


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_ctrl_c_stops_at_once_with_one_line_and_the_resume_command(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(120):
        sentences = " ".join(
            f"Prime Minister Sanae Takaichi met President Lee Jae Myung in Nara, item {i}-{j}."
            for j in range(20)
        )
        (inputs / f"story-{i:03d}.txt").write_text(f"Talks day {i}\n\n{sentences}", "utf-8")
    out = tmp_path / "out"
    args = ["translate", str(inputs), "--engine", "pseudo", "--out", str(out)]
    log = tmp_path / "stderr.log"
    process = _l10n([*args, "--run-id", "long"], log)
    deadline = time.monotonic() + 300
    while not list(out.glob("long/*/manifest.json")):  # wait until it is mid-run
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130
    stderr = log.read_text()
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "interrupted" in lines[0] and "--run-id long" in lines[0]
    assert "Traceback" not in stderr
    done_before = len(list(out.glob("long/*/manifest.json")))
    resumed = _l10n([*args, "--run-id", "long"], tmp_path / "resumed.log")
    assert resumed.wait(timeout=600) == 0, (tmp_path / "resumed.log").read_text()
    summary = json.loads((out / "long" / "run.json").read_text("utf-8"))
    assert len(summary["articles"]["done"]) == 120
    assert sum(d["resumed"] for d in summary["articles"]["done"]) >= done_before - 1
    assert not list(out.rglob("*.tmp"))


def _filled_memory(path: Path, count: int) -> None:
    from l10n.mt.memory import MTEntry, open_memory

    engine = {"engine": "pseudo", "options": {}}
    with open_memory(path) as memory:
        memory.record(
            MTEntry(f"Source sentence number {i} " * 3, "en", "ja", engine, f"訳文 {i}" * 3)
            for i in range(count)
        )


@pytest.mark.parametrize("damage", ["overwritten page", "truncated"])
def test_a_damaged_memory_names_the_file_and_tm_recover_keeps_the_readable_rows(
    tmp_path: Path, damage: str
) -> None:
    from l10n.mt.memory import TranslationMemoryError, open_memory

    path = tmp_path / "tm.sqlite"
    _filled_memory(path, 3000)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        if damage == "truncated":
            handle.truncate(size * 2 // 3)
        else:
            handle.seek(size // 2 - (size // 2) % 4096)
            handle.write(b"\xde\xad" * 4096)

    def every_row() -> int:
        with open_memory(path, create=False) as memory:
            return sum(1 for _ in memory.iter_mt())

    with pytest.raises(TranslationMemoryError) as raised:
        every_row()
    message = str(raised.value)
    assert "\n" not in message
    assert str(path) in message and f"l10n tm recover {path}" in message

    result = CliRunner().invoke(main, ["tm", "recover", str(path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    kept = every_row()  # the rebuilt memory reads from end to end
    assert 1000 < kept < 3000, result.output
    assert f"kept {kept} mt" in result.output
    damaged = list(tmp_path.glob("tm.sqlite.damaged-*"))
    assert (len(damaged) == 1 and damaged[0].stat().st_size == path.stat().st_size) or damaged
    assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_tm_recover_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["tm", "recover", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "no translation memory file" in result.output


_FULL_DISK = """
import errno, sys
import l10n.run.storage as storage
from l10n.cli import main

writes = {"n": 0}

def filling(real):
    def write(path, data):
        writes["n"] += 1
        if writes["n"] > 6:  # the disk fills up mid-run
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data)
    return write

storage.write_bytes_atomic = filling(storage.write_bytes_atomic)
storage.write_stream_atomic = filling(storage.write_stream_atomic)
sys.argv[0] = "l10n"
main()
"""


def test_a_full_disk_mid_run_is_one_line_with_the_resume_command(
    local_server: object, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["translate", str(EXAMPLES), "--engine", "pseudo", "--out", str(out), "--run-id", "r"]
    full = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert full.returncode == 2, full.stdout + full.stderr  # a storage problem, as documented
    assert "Traceback" not in full.stdout + full.stderr
    last = full.stderr.strip().splitlines()[-1]
    assert "disk is full" in last and "resume with: l10n translate" in last, full.stderr
    assert "--run-id r" in last

    resumed = subprocess.run(
        [str(Path(sys.executable).with_name("l10n")), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    summary = json.loads((out / "r" / "run.json").read_text("utf-8"))
    assert summary["articles"]["done"] and not summary["articles"].get("failed")


def test_translate_with_a_damaged_memory_prints_no_traceback(
    local_server: object, tmp_path: Path
) -> None:
    memory = tmp_path / "tm.sqlite"
    memory.write_bytes(b"a memory file whose header was lost\n" * 300)
    args = ["translate", str(EXAMPLES), "--engine", "pseudo", "--out", str(tmp_path / "out")]
    result = subprocess.run(
        [str(Path(sys.executable).with_name("l10n")), *args, "--tm", str(memory)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert str(memory) in last and f"l10n tm recover {memory}" in last
    # l10n's line is the whole output: no ERROR lines of Prefect's before it
    said = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert said == [last], said
    log = Path(os.environ["PREFECT_HOME"]) / "l10n-commands.log"
    assert "Traceback" in log.read_text("utf-8")  # the details are kept, in the log
    assert oct(log.stat().st_mode & 0o777) == oct(0o600)


def test_xliff_refusals_are_summarised_after_20_lines_with_the_full_list_in_a_file(
    tmp_path: Path,
) -> None:
    import copy
    import shutil

    from lxml import etree

    from l10n.review.files import rebuild_review_files
    from l10n.run.store import Run

    run_dir = tmp_path / "out" / "20260301T090000Z-sample"
    shutil.copytree(Path(__file__).parent / "fixtures" / "run_sample", run_dir)
    rebuild_review_files(Run.open(run_dir))
    tree = etree.parse(str(run_dir / "nara-summit" / "ko.xlf"))
    ns = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    unit = tree.find(".//x:trans-unit", ns)
    assert unit is not None
    for i in range(57):  # units a run never had
        stray = copy.deepcopy(unit)
        stray.set("id", f"stray-{i}")
        unit.addnext(stray)
    path = tmp_path / "many.xlf"
    tree.write(str(path), xml_declaration=True, encoding="utf-8")

    result = CliRunner().invoke(
        main, ["xliff", "import", str(path), "--run", str(run_dir), "--reviewer", "Jun Seo"]
    )
    assert result.exit_code == 1, result.output
    shown = [line for line in result.output.splitlines() if line.startswith("refused")]
    assert len(shown) == 20
    listed = tmp_path / "many.xlf.refused.txt"
    assert f"… and 37 more refused unit(s); the full list is in {listed}" in result.output
    full = listed.read_text("utf-8").splitlines()
    assert len(full) == 57 and full[:20] == shown
    assert "57 refused" in result.output and "Traceback" not in result.output
