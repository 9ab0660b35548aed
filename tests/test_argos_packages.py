"""Installing, verifying and downloading Argos packages (against real, tiny test packages)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from modelkit import build_test_package

from l10n.mt.engines.argos import packages as ap

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("built")


@pytest.fixture(scope="module")
def en_ja(built: Path) -> Path:
    return build_test_package(built, "en", "ja")


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")} if root.exists() else set()


def _rezip(src: Path, dest: Path, edit) -> Path:
    """Copy archive ``src`` to ``dest`` with ``edit(name) -> new name | None (drop)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            name = edit(info.filename)
            if name is not None:
                zout.writestr(name, zin.read(info))
    return dest


# ---------------------------------------------------------------- install_archive


def test_install_archive_unpacks_a_loadable_package_with_sidecar(en_ja: Path, tmp_path: Path):
    from argostranslate.package import Package, get_installed_packages

    packages = tmp_path / "packages"
    pkg = ap.install_archive(en_ja, packages)
    assert (pkg.from_code, pkg.to_code, pkg.version) == ("en", "ja", "0.1")
    assert pkg.sha256 == hashlib.sha256(en_ja.read_bytes()).hexdigest()
    assert pkg.path.parent == packages
    sidecar = json.loads((pkg.path / ap.SIDECAR_NAME).read_text())
    assert sidecar["archive"] == en_ja.name and sidecar["size"] == en_ja.stat().st_size
    # argostranslate's own loader reads what we installed
    loaded = get_installed_packages(path=[packages])
    assert [(p.from_code, p.to_code) for p in loaded] == [("en", "ja")]
    assert Package(pkg.path).tokenizer is not None
    # nothing but the package is left behind
    assert [p.name for p in packages.iterdir()] == [pkg.path.name]


def test_install_archive_replaces_an_older_version(built: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    old = ap.install_archive(build_test_package(built, "en", "ja", version="0.1"), packages)
    new = ap.install_archive(build_test_package(built, "en", "ja", version="0.2"), packages)
    assert not old.path.exists()
    assert [(p.version, p.path) for p in ap.installed_packages(packages)] == [("0.2", new.path)]
    assert ap.find_package(packages, "en", "ja") == new
    assert ap.find_package(packages, "ja", "en") is None
    assert sorted(p.name for p in packages.iterdir()) == [new.path.name]


def test_reinstalling_the_same_archive_keeps_one_copy(en_ja: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    first = ap.install_archive(en_ja, packages)
    second = ap.install_archive(en_ja, packages)
    assert first == second
    assert len(ap.installed_packages(packages)) == 1


@pytest.fixture(scope="module")
def bad_archives(en_ja: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One archive per way a download can be broken or hostile."""
    tmp = tmp_path_factory.mktemp("bad")
    top = zipfile.ZipFile(en_ja).namelist()[0].split("/")[0]
    not_zip = tmp / "not-zip.argosmodel"
    not_zip.write_bytes(b"PK? this is not a zip archive at all\n" * 10)
    two_tops = tmp / "two-tops.argosmodel"
    _rezip(en_ja, two_tops, lambda n: n)
    with zipfile.ZipFile(two_tops, "a") as zf:
        zf.writestr("other/metadata.json", "{}")
    evil = tmp / "evil.argosmodel"
    _rezip(en_ja, evil, lambda n: n)
    with zipfile.ZipFile(evil, "a") as zf:
        zf.writestr(f"{top}/../../evil", "owned")
    absolute = tmp / "absolute.argosmodel"
    _rezip(en_ja, absolute, lambda n: n)
    with zipfile.ZipFile(absolute, "a") as zf:
        zf.writestr(zipfile.ZipInfo("/tmp/l10n-absolute-evil"), "owned")
    link = tmp / "symlink.argosmodel"
    _rezip(en_ja, link, lambda n: n)
    with zipfile.ZipFile(link, "a") as zf:
        info = zipfile.ZipInfo(f"{top}/model/link")
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    no_model = tmp / "no-model.argosmodel"
    _rezip(en_ja, no_model, lambda n: None if n.endswith("model.bin") else n)
    no_vocab = tmp / "no-vocab.argosmodel"
    _rezip(en_ja, no_vocab, lambda n: None if "vocabulary" in n else n)
    no_tokenizer = tmp / "no-tokenizer.argosmodel"
    _rezip(en_ja, no_tokenizer, lambda n: None if n.endswith("sentencepiece.model") else n)
    loose_file = tmp / "loose.argosmodel"
    _rezip(en_ja, loose_file, lambda n: n)
    with zipfile.ZipFile(loose_file, "a") as zf:
        zf.writestr("README.md", "outside the folder")
    bad_metadata = tmp / "bad-metadata.argosmodel"
    _rezip(en_ja, bad_metadata, lambda n: None if n.endswith("metadata.json") else n)
    with zipfile.ZipFile(bad_metadata, "a") as zf:
        zf.writestr(f"{top}/metadata.json", json.dumps({"package_version": "1"}))
    return {
        "not a zip": not_zip,
        "one top-level folder": two_tops,
        "outside its folder": evil,
        "absolute": absolute,
        "symbolic link": link,
        "model/model.bin": no_model,
        "shared_vocabulary": no_vocab,
        "tokenizer": no_tokenizer,
        "outside the package folder": loose_file,
        "from_code": bad_metadata,
    }


@pytest.mark.parametrize(
    "problem",
    [
        "not a zip",
        "one top-level folder",
        "outside its folder",
        "absolute",
        "symbolic link",
        "model/model.bin",
        "shared_vocabulary",
        "tokenizer",
        "outside the package folder",
        "from_code",
    ],
)
def test_install_archive_refuses_bad_archives_and_writes_nothing(
    bad_archives: dict[str, Path], tmp_path: Path, problem: str
):
    bad = bad_archives[problem]
    work = tmp_path / "work"
    work.mkdir()
    packages = work / "packages"
    before = _tree(tmp_path)
    with pytest.raises(ap.PackageError) as info:
        ap.install_archive(bad, packages)
    message = str(info.value)
    assert problem in message
    assert "\n" not in message and str(bad) in message
    assert _tree(tmp_path) == before
    assert not Path("/tmp/l10n-absolute-evil").exists()


def test_install_archive_refuses_wrong_expected_sha256(en_ja: Path, tmp_path: Path):
    with pytest.raises(ap.PackageError, match="does not match"):
        ap.install_archive(en_ja, tmp_path / "packages", expected_sha256="0" * 64)
    assert not (tmp_path / "packages").exists()


def test_refused_upgrade_keeps_the_installed_package(en_ja: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    good = ap.install_archive(en_ja, packages)
    broken = _rezip(
        en_ja, tmp_path / "broken.argosmodel", lambda n: None if n.endswith("model.bin") else n
    )
    with pytest.raises(ap.PackageError):
        ap.install_archive(broken, packages)
    assert ap.installed_packages(packages) == [good]


def test_install_folder_is_named_after_the_checked_pair_not_the_archive(
    en_ja: Path, tmp_path: Path
):
    odd = _rezip(
        en_ja,
        tmp_path / "download (1).argosmodel",
        lambda n: n.replace("translate-en_ja-0_1", "my-model", 1),
    )
    pkg = ap.install_archive(odd, tmp_path / "packages")
    assert pkg.path.name == "translate-en_ja-0_1"
    assert sorted(p.name for p in (tmp_path / "packages").iterdir()) == ["translate-en_ja-0_1"]


def test_an_upgrade_reports_what_it_replaced(built: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    old = build_test_package(built, "en", "ja", version="0.1")
    new = build_test_package(built, "en", "ja", version="0.2")
    first = ap.install_file(old, packages, allow_unpinned=True)
    assert first.replaced == ()
    second = ap.install_file(new, packages, allow_unpinned=True)
    assert second.replaced == ("translate-en_ja-0_1",)
    assert [p.version for p in ap.installed_packages(packages)] == ["0.2"]


def test_other_pairs_survive_an_install(built: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    ja_en = ap.install_archive(build_test_package(built, "ja", "en"), packages)
    ap.install_archive(build_test_package(built, "en", "ja"), packages)
    assert ja_en in ap.installed_packages(packages)


def test_replace_accepts_the_package_name_of_what_is_in_the_way(built: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    ko_en = ap.install_archive(build_test_package(built, "ko", "en"), packages)
    ko_en.path.rename(packages / "translate-en_ja-0_1")
    with pytest.raises(ap.PackageError, match="--replace translate-en_ja-0_1"):
        ap.install_archive(build_test_package(built, "en", "ja"), packages)
    ap.install_archive(build_test_package(built, "en", "ja"), packages, replace=["translate-ko_en"])
    assert [p.name for p in ap.installed_packages(packages)] == ["translate-en_ja"]


@pytest.mark.parametrize("codes", [["../../en"], ["ja", "en-../../x"], ["english"]])
def test_plan_pairs_refuses_what_is_not_a_language_code(codes: list[str]):
    with pytest.raises(ap.PackageError, match="not a language code"):
        ap.plan_pairs(codes)


def test_plan_pairs_normalises_tags():
    assert ap.plan_pairs(["ja-JP", "ko_KR"], both_ways=False) == [("en", "ja"), ("en", "ko")]


def test_install_file_checks_pins_by_name_and_content(en_ja: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    digest = hashlib.sha256(en_ja.read_bytes()).hexdigest()
    with pytest.raises(ap.PackageError, match="--allow-unpinned"):
        ap.install_file(en_ja, packages)
    assert not packages.exists()
    # pinned by content, whatever the file is called
    pins = {"some-other-name.argosmodel": ap.Pin(en_ja.stat().st_size, digest)}
    outcome = ap.install_file(en_ja, packages, pins=pins)
    assert outcome.pinned and outcome.package.sha256 == digest
    # a file named like a pinned package must have that package's content
    impostor = tmp_path / "translate-en_ja-1_1.argosmodel"
    impostor.write_bytes(en_ja.read_bytes())
    with pytest.raises(ap.PackageError, match="does not match the pinned"):
        ap.install_file(impostor, packages, allow_unpinned=True)
    unpinned = ap.install_file(en_ja, tmp_path / "other", allow_unpinned=True)
    assert not unpinned.pinned and unpinned.package.sha256 == digest


def test_installed_packages_skips_foreign_and_temporary_folders(en_ja: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    pkg = ap.install_archive(en_ja, packages)
    (packages / "not-a-package").mkdir()
    (packages / ".l10n-install-leftover").mkdir()
    broken = packages / "broken"
    broken.mkdir()
    (broken / "metadata.json").write_text("{not json")
    (packages / "stray-file.txt").write_text("x")
    assert ap.installed_packages(packages) == [pkg]
    assert ap.installed_packages(tmp_path / "missing") == []


def test_installed_package_without_sidecar_has_unknown_sha256(en_ja: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    pkg = ap.install_archive(en_ja, packages)
    (pkg.path / ap.SIDECAR_NAME).unlink()
    (listed,) = ap.installed_packages(packages)
    assert listed.sha256 is None and not listed.pinned()
    assert listed.model_info().to_json() == {
        "name": "translate-en_ja",
        "version": "0.1",
        "sha256": None,
        "from": "en",
        "to": "ja",
    }


def test_default_packages_dir_reads_the_given_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    assert ap.default_packages_dir({"ARGOS_PACKAGES_DIR": str(tmp_path)}) == tmp_path
    assert ap.default_packages_dir({"XDG_DATA_HOME": "/data"}) == Path(
        "/data/argos-translate/packages"
    )
    assert ap.default_packages_dir({}) == (Path.home() / ".local/share/argos-translate/packages")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "late"))
    assert ap.default_packages_dir() == tmp_path / "late"


def test_plan_pairs_adds_the_way_back_for_pivoting():
    assert ap.plan_pairs(["ja", "ko"]) == [("en", "ja"), ("ja", "en"), ("en", "ko"), ("ko", "en")]
    assert ap.plan_pairs(["ja", "en", "JA"], both_ways=False) == [("en", "ja")]
    assert ap.plan_pairs(["en"]) == []


# ---------------------------------------------------------------- download


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Path]]:
    """A throwaway HTTP server on 127.0.0.1 serving ``root``."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _publish(root: Path, base: str, archives: list[Path]) -> str:
    index = []
    for archive in archives:
        (root / archive.name).write_bytes(archive.read_bytes())
        with zipfile.ZipFile(archive) as zf:
            top = zf.namelist()[0].split("/")[0]
            meta = json.loads(zf.read(f"{top}/metadata.json"))
        meta["links"] = [f"{base}/{archive.name}"]
        index.append(meta)
    (root / "index.json").write_text(json.dumps(index))
    return f"{base}/index.json"


def test_fetch_index_and_download_with_matching_pin(en_ja: Path, server, tmp_path: Path):
    base, root = server
    url = _publish(root, base, [en_ja])
    (entry,) = ap.fetch_index(url, timeout=10)
    assert (entry.from_code, entry.to_code, entry.version) == ("en", "ja", "0.1")
    assert entry.filename == en_ja.name
    pins = {
        en_ja.name: ap.Pin(en_ja.stat().st_size, hashlib.sha256(en_ja.read_bytes()).hexdigest())
    }
    seen: list[tuple[int, int | None]] = []
    dest = tmp_path / "downloads"
    path = ap.download_package(entry, dest, pins=pins, progress=lambda d, t: seen.append((d, t)))
    assert path.read_bytes() == en_ja.read_bytes()
    assert os.listdir(dest) == [en_ja.name]
    assert seen[-1] == (en_ja.stat().st_size, en_ja.stat().st_size)


@pytest.mark.parametrize("wrong", ["sha256", "size"])
def test_download_with_mismatching_pin_fails_and_leaves_no_file(
    en_ja: Path, server, tmp_path: Path, wrong: str
):
    base, root = server
    (entry,) = ap.fetch_index(_publish(root, base, [en_ja]), timeout=10)
    size, digest = en_ja.stat().st_size, hashlib.sha256(en_ja.read_bytes()).hexdigest()
    pin = ap.Pin(size, "f" * 64) if wrong == "sha256" else ap.Pin(size - 1, digest)
    dest = tmp_path / "downloads"
    with pytest.raises(ap.PackageError) as info:
        ap.download_package(entry, dest, pins={en_ja.name: pin})
    assert "\n" not in str(info.value)
    assert list(dest.iterdir()) == []


def test_download_refuses_unpinned_unless_allowed(en_ja: Path, server, tmp_path: Path):
    base, root = server
    (entry,) = ap.fetch_index(_publish(root, base, [en_ja]), timeout=10)
    with pytest.raises(ap.PackageError, match="--allow-unpinned"):
        ap.download_package(entry, tmp_path / "d", pins={})
    assert not (tmp_path / "d").exists()
    path = ap.download_package(entry, tmp_path / "d", pins={}, allow_unpinned=True)
    assert path.read_bytes() == en_ja.read_bytes()


def test_download_of_a_missing_file_names_the_status(en_ja: Path, server, tmp_path: Path):
    base, root = server
    (entry,) = ap.fetch_index(_publish(root, base, [en_ja]), timeout=10)
    (root / en_ja.name).unlink()
    with pytest.raises(ap.PackageError, match="HTTP 404"):
        ap.download_package(entry, tmp_path / "d", allow_unpinned=True)
    assert list((tmp_path / "d").iterdir()) == []


def test_install_languages_installs_both_directions(built: Path, server, tmp_path: Path):
    base, root = server
    archives = [build_test_package(built, a, b) for a, b in (("en", "ko"), ("ko", "en"))]
    url = _publish(root, base, archives)
    packages = tmp_path / "packages"
    with pytest.raises(ap.PackageError, match="--allow-unpinned"):
        ap.install_languages(["ko"], packages, index_url=url, timeout=10)
    assert not packages.exists()
    started: list[str] = []

    def progress(name: str):
        started.append(name)
        return None

    outcomes = ap.install_languages(
        ["ko"], packages, index_url=url, allow_unpinned=True, progress=progress, timeout=10
    )
    assert [(o.package.from_code, o.package.to_code, o.action) for o in outcomes] == [
        ("en", "ko", "installed"),
        ("ko", "en", "installed"),
    ]
    assert started == [a.name for a in archives]
    assert {p.sha256 for p in ap.installed_packages(packages)} == {
        hashlib.sha256(a.read_bytes()).hexdigest() for a in archives
    }
    assert sorted(p.name for p in packages.iterdir()) == sorted(
        o.package.path.name for o in outcomes
    )
    again = ap.install_languages(["ko"], packages, index_url=url, allow_unpinned=True, timeout=10)
    assert [o.action for o in again] == ["already installed", "already installed"]


def test_install_languages_names_a_pair_the_index_lacks(en_ja: Path, server, tmp_path: Path):
    base, root = server
    url = _publish(root, base, [en_ja])
    with pytest.raises(ap.PackageError, match="no ja→en package"):
        ap.install_languages(["ja"], tmp_path / "p", index_url=url, allow_unpinned=True)


def test_unreachable_index_names_the_offline_fix(tmp_path: Path):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ap.PackageError) as info:
        ap.install_languages(
            ["ja"], tmp_path / "p", index_url=f"http://127.0.0.1:{port}/i.json", timeout=5
        )
    message = str(info.value)
    assert message.startswith("no network")
    assert "l10n models install --file translate-en_ja-1_1.argosmodel" in message
    assert "translate-ja_en-1_1.argosmodel" in message


@pytest.mark.parametrize("url", ["ftp://example.org/index.json", "index.json"])
def test_a_malformed_index_url_is_not_called_a_network_failure(url: str):
    with pytest.raises(ap.PackageError, match="check --index-url"):
        ap.fetch_index(url, timeout=5)


def test_fetch_index_skips_entries_that_could_not_name_a_safe_file(server, tmp_path: Path):
    base, root = server
    good = {"from_code": "en", "to_code": "ja", "package_version": "1.1", "links": ["x"]}
    hostile = [
        {**good, "from_code": "../../en"},
        {**good, "to_code": "ja/../x"},
        {**good, "package_version": "1/../../x"},
        {**good, "to_code": 5},
    ]
    (root / "index.json").write_text(json.dumps([good, *hostile]))
    entries = ap.fetch_index(f"{base}/index.json", timeout=10)
    assert [(e.from_code, e.to_code, e.version) for e in entries] == [("en", "ja", "1.1")]


def test_an_unpinned_download_stops_at_the_size_limit(en_ja: Path, server, tmp_path: Path):
    base, root = server
    (entry,) = ap.fetch_index(_publish(root, base, [en_ja]), timeout=10)
    dest = tmp_path / "d"
    with pytest.raises(ap.PackageError, match="larger than 100,000 bytes"):
        ap.download_package(entry, dest, pins={}, allow_unpinned=True, max_bytes=100_000)
    assert list(dest.iterdir()) == []
