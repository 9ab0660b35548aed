"""``l10n models`` as a user runs it: the installed console script in a subprocess."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from modelkit import build_ct2_model, build_test_package

from l10n.mt.engines.argos import packages as ap

pytestmark = pytest.mark.slow

L10N = Path(sys.executable).parent / "l10n"


def run(*args: str, packages: Path, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(packages), "NO_PROXY": "127.0.0.1"}
    result = subprocess.run(
        [str(L10N), "models", *args], env=env, capture_output=True, text=True, timeout=120
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("built")


def test_install_file_then_list(built: Path, tmp_path: Path):
    packages = tmp_path / "packages"
    en_ja = build_test_package(built, "en", "ja", variant="txt_vocab")
    digest = hashlib.sha256(en_ja.read_bytes()).hexdigest()

    refused = run("install", "--file", str(en_ja), packages=packages)
    assert refused.returncode == 1
    assert "--allow-unpinned" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert not packages.exists()

    done = run("install", "--allow-unpinned", "--file", str(en_ja), packages=packages, check=True)
    assert "translate-en_ja" in done.stdout and f"UNPINNED sha256 {digest}" in done.stdout

    from argostranslate.package import get_installed_packages

    (pkg,) = get_installed_packages(path=[packages])
    assert (pkg.from_code, pkg.to_code, pkg.package_version) == ("en", "ja", "0.1")

    listing = run("list", packages=packages, check=True).stdout.splitlines()
    header = ["NAME", "FAMILY", "PAIRS", "VERSION", "SIZE", "SHA256", "LICENCE", "PATH"]
    assert listing[0].split() == header
    (row,) = listing[1:]
    cells = row.split()
    assert cells[:4] == ["translate-en_ja", "argos", "en→ja", "0.1"]
    assert cells[5:] == [digest[:12], "unpinned", "-", str(pkg.package_path)]
    (entry,) = json.loads(run("list", "--json", packages=packages, check=True).stdout)
    assert (entry["family"], entry["pairs"], entry["sha256"]) == ("argos", ["en-ja"], digest)


def test_packages_dir_option_overrides_the_environment(built: Path, tmp_path: Path):
    en_ko = build_test_package(built, "en", "ko")
    chosen = tmp_path / "chosen"
    run(
        "install",
        "--allow-unpinned",
        "--file",
        str(en_ko),
        "--packages-dir",
        str(chosen),
        packages=tmp_path / "env",
        check=True,
    )
    assert [p.name for p in ap.installed_packages(chosen)] == ["translate-en_ko"]
    # (importing argostranslate creates the folder the environment names, but empty)
    assert ap.installed_packages(tmp_path / "env") == []
    listing = run("list", "--packages-dir", str(chosen), packages=tmp_path / "env", check=True)
    assert "translate-en_ko" in listing.stdout


def test_list_of_an_empty_folder_says_what_to_run(tmp_path: Path):
    out = run("list", packages=tmp_path / "none", check=True).stdout
    assert "`l10n models install ja ko`" in out


def test_refused_archive_exits_1_with_one_line(built: Path, tmp_path: Path):
    en_ja = build_test_package(built, "en", "ja")
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(en_ja) as zin, zipfile.ZipFile(evil, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.writestr("translate-en_ja-0_1/../../evil", "x")
    packages = tmp_path / "packages"
    result = run("install", "--allow-unpinned", "--file", str(evil), packages=packages)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "outside its folder" in result.stderr
    assert not packages.exists() and not (tmp_path / "evil").exists()


def test_install_refuses_a_path_for_a_language_code(tmp_path: Path):
    packages = tmp_path / "packages"
    result = run("install", "../../en", packages=packages)
    assert result.returncode == 2
    assert "'../../en' is not a language code" in result.stderr
    assert "Traceback" not in result.stderr and not packages.exists()


def test_install_without_arguments_is_a_usage_error(tmp_path: Path):
    result = run("install", packages=tmp_path)
    assert result.returncode == 2 and "--file" in result.stderr


def test_help_shows_runnable_examples(tmp_path: Path):
    for command in ([], ["install"], ["list"]):
        out = run(*command, "--help", packages=tmp_path, check=True).stdout
        assert "Example:" in out and "l10n models " in out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def index_server(built: Path, tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    index = []
    for source, target in (("en", "ja"), ("ja", "en")):
        archive = build_test_package(built, source, target, variant="stanza_dir")
        (root / archive.name).write_bytes(archive.read_bytes())
        index.append(
            {
                "type": "translate",
                "from_code": source,
                "to_code": target,
                "package_version": "0.1",
                "links": [f"{base}/{archive.name}"],
            }
        )
    (root / "index.json").write_text(json.dumps(index))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{base}/index.json"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_install_languages_from_an_index(index_server: str, tmp_path: Path):
    packages = tmp_path / "packages"
    refused = run("install", "ja", "--index-url", index_server, packages=packages)
    assert refused.returncode == 1 and "--allow-unpinned" in refused.stderr
    assert not packages.exists()

    done = run(
        "install",
        "ja",
        "--index-url",
        index_server,
        "--allow-unpinned",
        packages=packages,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["installed:", "translate-en_ja"],
        ["installed:", "translate-ja_en"],
    ]
    assert {(p.from_code, p.to_code) for p in ap.installed_packages(packages)} == {
        ("en", "ja"),
        ("ja", "en"),
    }
    assert sorted(p.name for p in packages.iterdir()) == [
        "translate-en_ja-0_1",
        "translate-ja_en-0_1",
    ]
    again = run(
        "install",
        "ja",
        "--index-url",
        index_server,
        "--allow-unpinned",
        packages=packages,
        check=True,
    )
    assert all(line.startswith("already installed:") for line in again.stdout.splitlines())


def test_no_network_error_names_the_offline_command(tmp_path: Path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(
        "install",
        "ko",
        "--one-way",
        "--index-url",
        f"http://127.0.0.1:{port}/x.json",
        packages=tmp_path / "p",
    )
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert "no network" in line
    assert "`l10n models install --file translate-en_ko-1_1.argosmodel`" in line


def test_add_list_route_names_and_remove_other_families(built: Path, tmp_path: Path):
    """Registered models sit beside the Argos packages; NLLB is marked non-commercial."""
    packages = tmp_path / "argos" / "packages"
    nllb = build_ct2_model(built, "nllb")
    quick = build_ct2_model(built, "quickmt", "en", "ja")
    added = run("add", str(nllb), "--name", "nllb-small", packages=packages, check=True).stdout
    assert "added: nllb-small (nllb" in added and "NON-COMMERCIAL" in added
    assert (tmp_path / "argos" / "l10n-models" / "nllb-small" / "model.bin").is_file()
    run("add", str(quick), "--threshold", "-2.5", packages=packages, check=True)

    listing = run("list", packages=packages, check=True).stdout.splitlines()
    rows = {line.split()[0]: line for line in listing[1:] if not line.startswith("WARNING")}
    assert set(rows) == {"nllb-small", "quickmt-en-ja"}
    assert "CC-BY-NC-4.0 NON-COMMERCIAL" in rows["nllb-small"]
    assert "any direction" in rows["nllb-small"] and "en→ja" in rows["quickmt-en-ja"]
    assert any(line.startswith("WARNING: nllb-small") for line in listing)
    entries = {e["name"]: e for e in json.loads(run("list", "--json", packages=packages).stdout)}
    assert entries["nllb-small"]["non_commercial"] is True
    assert {"en", "ja", "ko"} <= set(entries["nllb-small"]["languages"])
    assert entries["quickmt-en-ja"]["threshold"] == -2.5
    assert len(entries["quickmt-en-ja"]["sha256"]) == 64

    twice = run("add", str(quick), packages=packages)
    assert twice.returncode == 1 and "already registered" in twice.stderr
    assert "Traceback" not in twice.stderr
    empty = run("add", str(tmp_path), packages=packages)
    assert empty.returncode == 1 and "no model.bin" in empty.stderr
    removed = run("remove", "nllb-small", packages=packages, check=True)
    assert "removed: nllb-small" in removed.stdout
    gone = run("remove", "nllb-small", packages=packages)
    assert gone.returncode == 1 and "quickmt-en-ja" in gone.stderr


def test_set_gives_an_argos_package_and_a_registered_model_a_threshold(built: Path, tmp_path: Path):
    packages = tmp_path / "argos" / "packages"
    en_ja = build_test_package(built, "en", "ja")
    run("install", "--allow-unpinned", "--file", str(en_ja), packages=packages, check=True)
    run("add", str(build_ct2_model(built, "quickmt", "en", "ja")), packages=packages, check=True)

    done = run("set", "translate-en_ja", "--threshold", "-1.5", packages=packages, check=True)
    assert "translate-en_ja: threshold -1.5" in done.stdout
    run("set", "quickmt-en-ja", "--threshold", "-2", packages=packages, check=True)

    def thresholds() -> dict[str, float | None]:
        listed = json.loads(run("list", "--json", packages=packages, check=True).stdout)
        return {e["name"]: e["threshold"] for e in listed}

    assert thresholds() == {"translate-en_ja": -1.5, "quickmt-en-ja": -2.0}
    run("set", "translate-en_ja", "--no-threshold", packages=packages, check=True)
    assert thresholds() == {"translate-en_ja": None, "quickmt-en-ja": -2.0}

    unknown = run("set", "translate-en_xx", "--threshold", "-1", packages=packages)
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr
    (line,) = unknown.stderr.strip().splitlines()
    assert "translate-en_ja" in line and "quickmt-en-ja" in line
    neither = run("set", "translate-en_ja", packages=packages)
    assert neither.returncode == 2 and "--threshold VALUE or --no-threshold" in neither.stderr
