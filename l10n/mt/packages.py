"""Argos Translate packages on disk: find, verify, download and install them safely.

argostranslate itself installs by extracting any zip into its data folder and checks no
checksum; a model decides what readers see, so here every archive is checked against a
pinned size and sha256, validated entry by entry, and swapped into place in one rename.
argostranslate is imported inside functions only: importing it reads the environment and
creates folders, which must not happen when ``l10n`` is merely imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from l10n.errors import L10nError
from l10n.text.languages import PIVOT

OFFICIAL_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
SIDECAR_NAME = ".l10n-install.json"
# A model archive is ~120 MB; anything that unpacks past this is not one.
MAX_UNPACKED_BYTES = 4 * 1024**3
_TEMP_PREFIX = ".l10n-"

Progress = Callable[[int, int | None], None]
"""Called with (bytes done, bytes expected or None) while a download streams."""


class PackageError(L10nError):
    """A package problem, worded as one line that names the fix."""


@dataclass(frozen=True)
class Pin:
    size: int
    sha256: str


PINNED: Mapping[str, Pin] = {
    "translate-en_ja-1_1.argosmodel": Pin(
        120_470_284, "16300cc4eaa85320520cabcf433b63d01be40ef6966251de72043a083408f716"
    ),
    "translate-en_ko-1_1.argosmodel": Pin(
        120_789_009, "e03d8e65e6d44525ec5808c3409fcf8728c76c2c76925372b6d3dc3278de17fc"
    ),
    "translate-ko_en-1_1.argosmodel": Pin(
        118_852_077, "6da8f3db6ca40f42b1875570a1c06856f6e17c7ef62845d85de217ba548c1471"
    ),
    "translate-ja_en-1_1.argosmodel": Pin(
        117_155_716, "623e3477959a815eb0a5ef53e09079ae8f1f9d3bbcd230473baf28c03fb83335"
    ),
}


@dataclass(frozen=True)
class InstalledPackage:
    """One installed translation package, as the manifest and ``models list`` report it."""

    name: str
    from_code: str
    to_code: str
    version: str
    path: Path
    sha256: str | None
    archive: str | None
    target_prefix: str = ""

    def manifest_entry(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "sha256": self.sha256,
            "from": self.from_code,
            "to": self.to_code,
        }

    def pinned(self, pins: Mapping[str, Pin] = PINNED) -> bool:
        return self.sha256 is not None and any(p.sha256 == self.sha256 for p in pins.values())


@dataclass(frozen=True)
class InstallOutcome:
    package: InstalledPackage
    action: str  # "installed" | "already installed"
    pinned: bool


@dataclass(frozen=True)
class IndexEntry:
    """A package the remote index offers."""

    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    type: str = "translate"

    @property
    def name(self) -> str:
        return f"{self.type}-{self.from_code}_{self.to_code}"

    @property
    def filename(self) -> str:
        """The archive's file name, as the index links spell it (the pin table's key)."""
        for link in self.links:
            base = PurePosixPath(urlsplit(link).path).name
            if base.endswith(".argosmodel"):
                return base
        return archive_filename(self.from_code, self.to_code, self.version)


def archive_filename(from_code: str, to_code: str, version: str) -> str:
    return f"translate-{from_code}_{to_code}-{version.replace('.', '_')}.argosmodel"


def default_packages_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where packages live: ``ARGOS_PACKAGES_DIR`` or argostranslate's own default.

    Read at call time so that a test or a ``--packages-dir`` wrapper can redirect it.
    """
    env = os.environ if env is None else env
    configured = env.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured).expanduser()
    data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


# ---------------------------------------------------------------- installed packages


def _version_key(version: str) -> tuple[int, Any]:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


def _read_sidecar(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / SIDECAR_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _load_package(path: Path) -> InstalledPackage | None:
    from argostranslate.package import Package

    try:
        pkg = Package(path)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pkg.type != "translate" or not pkg.from_code or not pkg.to_code:
        return None
    sidecar = _read_sidecar(path)
    return InstalledPackage(
        name=f"translate-{pkg.from_code}_{pkg.to_code}",
        from_code=pkg.from_code,
        to_code=pkg.to_code,
        version=str(pkg.package_version),
        path=path,
        sha256=sidecar.get("sha256"),
        archive=sidecar.get("archive"),
        target_prefix=pkg.target_prefix or "",
    )


def installed_packages(packages_dir: Path) -> list[InstalledPackage]:
    """Translation packages under ``packages_dir``, sorted by name then version.

    Folders argostranslate cannot read (half-copied, foreign, our own temp folders) are
    skipped rather than fatal: one broken folder must not hide the good ones.
    """
    if not packages_dir.is_dir():
        return []
    found = []
    for child in sorted(packages_dir.iterdir()):
        if child.name.startswith(".") or not child.is_dir():
            continue
        if not (child / "metadata.json").is_file():
            continue
        pkg = _load_package(child)
        if pkg is not None:
            found.append(pkg)
    found.sort(key=lambda p: (p.name, _version_key(p.version)))
    return found


def find_package(packages_dir: Path, source: str, target: str) -> InstalledPackage | None:
    """The newest installed package for ``source`` → ``target``, if any."""
    matches = [
        p for p in installed_packages(packages_dir) if (p.from_code, p.to_code) == (source, target)
    ]
    return max(matches, key=lambda p: _version_key(p.version)) if matches else None


# ---------------------------------------------------------------- archive validation


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Plan:
    top: str
    members: list[tuple[zipfile.ZipInfo, PurePosixPath]]
    metadata: dict[str, Any]


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_archive(archive: Path, zf: zipfile.ZipFile) -> _Plan:
    def refuse(problem: str) -> PackageError:
        return PackageError(
            f"{archive}: {problem} — not a usable Argos package; "
            "download it again from the official index"
        )

    members: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    tops: set[str] = set()
    total = 0
    for info in zf.infolist():
        raw = info.filename
        if raw.startswith(("/", "\\")) or (len(raw) > 1 and raw[1] == ":") or "\\" in raw:
            raise refuse(f"entry {raw!r} has an absolute or Windows path")
        rel = PurePosixPath(raw)
        if any(part in ("..", "") for part in rel.parts) or not rel.parts:
            raise refuse(f"entry {raw!r} points outside its folder")
        if _is_symlink(info):
            raise refuse(f"entry {raw!r} is a symbolic link")
        if len(rel.parts) == 1 and not info.is_dir():
            raise refuse(f"file {raw!r} lies outside the package folder")
        tops.add(rel.parts[0])
        total += info.file_size
        members.append((info, rel))
    if len(tops) != 1:
        found = ", ".join(sorted(tops)) or "none"
        raise refuse(f"expected one top-level folder, found {len(tops)} ({found})")
    top = tops.pop()
    if top in (".", "..") or top.startswith("."):
        raise refuse(f"top-level folder {top!r} is not a package name")
    if total > MAX_UNPACKED_BYTES:
        raise refuse(f"unpacks to {total} bytes, more than any model")

    files = {str(rel.relative_to(top)) for info, rel in members if not info.is_dir()}
    required = {
        "metadata.json": {"metadata.json"},
        "model/model.bin": {"model/model.bin"},
        "a tokenizer (sentencepiece.model or bpe.model)": {"sentencepiece.model", "bpe.model"},
    }
    for label, options in required.items():
        if not options & files:
            raise refuse(f"missing {label}")
    shared = {"model/shared_vocabulary.txt", "model/shared_vocabulary.json"}
    split = {"model/source_vocabulary.txt", "model/source_vocabulary.json"} & files and {
        "model/target_vocabulary.txt",
        "model/target_vocabulary.json",
    } & files
    if not (shared & files or split):
        raise refuse("missing model/shared_vocabulary.txt|.json (or source+target vocabularies)")

    try:
        metadata = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise refuse(f"metadata.json is not valid JSON ({exc})") from exc
    if (
        not isinstance(metadata, dict)
        or not metadata.get("from_code")
        or not metadata.get("to_code")
    ):
        raise refuse("metadata.json lacks from_code/to_code")
    return _Plan(top=top, members=members, metadata=metadata)


def _extract(zf: zipfile.ZipFile, plan: _Plan, into: Path) -> Path:
    root = into.resolve()
    for info, rel in plan.members:
        dest = root.joinpath(*rel.parts)
        if not dest.resolve().is_relative_to(root):  # belt and braces after _check_archive
            raise PackageError(f"entry {info.filename!r} escapes the install folder")
        if info.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, dest.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    return root / plan.top


# ---------------------------------------------------------------- install


def install_archive(
    archive: Path, packages_dir: Path, expected_sha256: str | None = None
) -> InstalledPackage:
    """Verify ``archive`` and install it, replacing any installed package for the same pair.

    Nothing is written until the archive has passed every check; the new folder is unpacked
    beside its final place and renamed in, so a reader sees the old package or the new one.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise PackageError(f"{archive}: no such file — check the path given to --file")
    digest = sha256_file(archive)
    if expected_sha256 is not None and digest != expected_sha256.lower():
        raise PackageError(
            f"{archive}: sha256 {digest} does not match the expected {expected_sha256} — "
            "the file is corrupt or not the published package; download it again"
        )
    if not zipfile.is_zipfile(archive):
        raise PackageError(
            f"{archive}: not a zip archive — an .argosmodel file is a zip; download it again"
        )
    with zipfile.ZipFile(archive) as zf:
        plan = _check_archive(archive, zf)
        packages_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}install-", dir=packages_dir))
        try:
            unpacked = _extract(zf, plan, staging)
            sidecar = {"archive": archive.name, "sha256": digest, "size": archive.stat().st_size}
            (unpacked / SIDECAR_NAME).write_text(json.dumps(sidecar, indent=2) + "\n")
            candidate = _load_package(unpacked)
            if candidate is None:
                raise PackageError(
                    f"{archive}: argostranslate cannot read the unpacked package — "
                    "download it again from the official index"
                )
            final = packages_dir / plan.top
            _swap_in(unpacked, final, packages_dir, candidate)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    installed = _load_package(final)
    assert installed is not None
    return installed


def install_file(
    archive: Path,
    packages_dir: Path,
    *,
    allow_unpinned: bool = False,
    pins: Mapping[str, Pin] = PINNED,
) -> InstallOutcome:
    """Install a local archive, holding it to the pin table like a download.

    A file is pinned when its content matches a pin, whatever it is called; a file named
    like a pinned package whose content differs is refused even with ``allow_unpinned``.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise PackageError(f"{archive}: no such file — check the path given to --file")
    digest = sha256_file(archive)
    by_name = pins.get(archive.name)
    pinned = any(p.sha256 == digest for p in pins.values())
    if by_name is not None and by_name.sha256 != digest:
        raise PackageError(
            f"{archive}: sha256 {digest} does not match the pinned {by_name.sha256} — "
            "the file is corrupt or altered; download it again"
        )
    if not pinned and not allow_unpinned:
        raise PackageError(
            f"{archive}: sha256 {digest} matches no pinned package — rerun with "
            "--allow-unpinned to trust it (the sha256 is then recorded)"
        )
    pkg = install_archive(archive, packages_dir, expected_sha256=digest)
    return InstallOutcome(pkg, "installed", pinned)


def _swap_in(new: Path, final: Path, packages_dir: Path, pkg: InstalledPackage) -> None:
    """Rename ``new`` to ``final``; older packages for the same pair are moved aside first."""
    olds = [
        p.path
        for p in installed_packages(packages_dir)
        if (p.from_code, p.to_code) == (pkg.from_code, pkg.to_code)
    ]
    if final.exists() and final not in olds:
        olds.append(final)
    aside: list[tuple[Path, Path]] = []
    try:
        for old in olds:
            parked = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}old-", dir=packages_dir))
            target = parked / old.name
            os.replace(old, target)
            aside.append((old, target))
        os.replace(new, final)
    except OSError as exc:
        for original, parked_at in reversed(aside):
            if not original.exists():
                os.replace(parked_at, original)
        raise PackageError(f"{final}: could not install ({exc}) — check permissions") from exc
    for _, parked_at in aside:
        shutil.rmtree(parked_at.parent, ignore_errors=True)


# ---------------------------------------------------------------- index and download


def fetch_index(url: str | None = None, timeout: float = 30.0) -> list[IndexEntry]:
    """The translation packages a remote index lists (the official index by default)."""
    import httpx

    url = url or OFFICIAL_INDEX_URL
    try:
        response = httpx.get(url, timeout=timeout, follow_redirects=True)
        response.raise_for_status()
        raw = response.json()
    except httpx.HTTPStatusError as exc:
        raise PackageError(f"{url}: HTTP {exc.response.status_code} — check --index-url") from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise PackageError(f"{url}: not an http(s) URL ({exc}) — check --index-url") from exc
    except httpx.TransportError as exc:
        raise _NoNetwork(url, exc) from exc
    except ValueError as exc:
        raise PackageError(f"{url}: not a JSON package index — check --index-url") from exc
    if not isinstance(raw, list):
        raise PackageError(f"{url}: not a JSON list of packages — check --index-url")
    entries = []
    for item in raw:
        if not isinstance(item, dict) or item.get("type", "translate") != "translate":
            continue
        if not item.get("from_code") or not item.get("to_code") or not item.get("links"):
            continue
        entries.append(
            IndexEntry(
                from_code=str(item["from_code"]),
                to_code=str(item["to_code"]),
                version=str(item.get("package_version", "")),
                links=tuple(str(link) for link in item["links"]),
            )
        )
    return entries


class _NoNetwork(PackageError):
    def __init__(self, url: str, exc: Exception, filenames: Iterable[str] = ()) -> None:
        self.url = url
        names = list(filenames)
        if names:
            files = " ".join(f"--file {n}" for n in names)
            fix = f"download {' '.join(names)} elsewhere and run `l10n models install {files}`"
        else:
            fix = "download the .argosmodel file elsewhere and run `l10n models install --file F`"
        super().__init__(f"no network: cannot reach {url} ({type(exc).__name__}) — {fix}")


def download_package(
    entry: IndexEntry,
    dest_dir: Path,
    *,
    progress: Progress | None = None,
    pins: Mapping[str, Pin] = PINNED,
    allow_unpinned: bool = False,
    timeout: float = 60.0,
) -> Path:
    """Stream ``entry`` into ``dest_dir`` and return the verified archive.

    The bytes go to ``<file>.part`` and are renamed only once size and sha256 match the pin,
    so a half or wrong download never looks like a package.
    """
    import httpx

    filename = entry.filename
    pin = pins.get(filename)
    if pin is None and not allow_unpinned:
        raise PackageError(
            f"{filename} has no pinned checksum — rerun with --allow-unpinned to trust it "
            "(its sha256 is then recorded and printed)"
        )
    dest_dir.mkdir(parents=True, exist_ok=True)
    final = dest_dir / filename
    part = dest_dir / (filename + ".part")
    failures: list[str] = []
    network_error: Exception | None = None
    for link in entry.links:
        try:
            done, sha = _stream_to(link, part, pin, progress, timeout)
        except httpx.HTTPStatusError as exc:
            failures.append(f"{link}: HTTP {exc.response.status_code}")
            continue
        except httpx.TransportError as exc:
            network_error = network_error or exc
            failures.append(f"{link}: {type(exc).__name__}")
            continue
        if pin is not None and (done != pin.size or sha != pin.sha256):
            part.unlink(missing_ok=True)
            raise PackageError(
                f"{filename}: got {done} bytes with sha256 {sha}, pinned {pin.size} bytes "
                f"with sha256 {pin.sha256} — the download is corrupt or altered; try again"
            )
        os.replace(part, final)
        return final
    if network_error is not None and not any(": HTTP " in f for f in failures):
        raise _NoNetwork(entry.links[0], network_error, [filename])
    raise PackageError(f"{filename}: every link failed ({'; '.join(failures)}) — try again later")


def _stream_to(
    link: str, part: Path, pin: Pin | None, progress: Progress | None, timeout: float
) -> tuple[int, str]:
    """Download ``link`` into ``part``; returns (bytes, sha256). ``part`` is gone on error."""
    import httpx

    digest = hashlib.sha256()
    done = 0
    try:
        with httpx.stream("GET", link, timeout=timeout, follow_redirects=True) as response:
            response.raise_for_status()
            length = response.headers.get("content-length")
            total = pin.size if pin is not None else (int(length) if length else None)
            with part.open("wb") as out:
                for chunk in response.iter_bytes(1 << 20):
                    done += len(chunk)
                    if pin is not None and done > pin.size:
                        raise PackageError(
                            f"{link}: larger than the pinned {pin.size} bytes — the server "
                            "sent a different file; try again later"
                        )
                    digest.update(chunk)
                    out.write(chunk)
                    if progress is not None:
                        progress(done, total)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return done, digest.hexdigest()


# ---------------------------------------------------------------- language-level install


def plan_pairs(codes: Iterable[str], *, both_ways: bool = True) -> list[tuple[str, str]]:
    """Which packages ``l10n models install ja ko`` means.

    Every target gets en→X; with ``both_ways`` also X→en, so sources in one target language
    can pivot through English into another (ko→en→ja).
    """
    pairs: list[tuple[str, str]] = []
    for code in codes:
        code = code.strip().lower()
        if not code or code == PIVOT:
            continue
        wanted = [(PIVOT, code), (code, PIVOT)] if both_ways else [(PIVOT, code)]
        pairs.extend(p for p in wanted if p not in pairs)
    return pairs


def install_languages(
    codes: list[str],
    packages_dir: Path,
    *,
    index_url: str | None = None,
    allow_unpinned: bool = False,
    both_ways: bool = True,
    pins: Mapping[str, Pin] = PINNED,
    progress: Callable[[str], Progress | None] | None = None,
    timeout: float = 60.0,
) -> list[InstallOutcome]:
    """Download and install the packages ``plan_pairs(codes)`` names from the index.

    ``progress`` is given each archive's file name and returns that download's callback.
    """
    index_url = index_url or OFFICIAL_INDEX_URL
    pairs = plan_pairs(codes, both_ways=both_ways)
    if not pairs:
        raise PackageError(
            "no target language given — name one or more, e.g. `l10n models install ja ko`"
        )
    try:
        index = fetch_index(index_url, timeout=timeout)
    except _NoNetwork as exc:
        names = [archive_filename(a, b, "1.1") for a, b in pairs]
        known = [n for n in names if n in pins] or names
        raise _NoNetwork(exc.url, exc.__cause__ or exc, known) from exc
    plan: list[IndexEntry] = []
    for source, target in pairs:
        offers = [e for e in index if (e.from_code, e.to_code) == (source, target)]
        if not offers:
            raise PackageError(
                f"the index at {index_url} has no {source}→{target} package — "
                "install one with `l10n models install --file FILE.argosmodel`"
            )
        plan.append(max(offers, key=lambda e: _version_key(e.version)))
    for entry in plan:  # refuse unpinned packages before any download starts
        if entry.filename not in pins and not allow_unpinned:
            raise PackageError(
                f"{entry.filename} has no pinned checksum — rerun with --allow-unpinned to "
                "trust it (its sha256 is then recorded and printed)"
            )

    outcomes: list[InstallOutcome] = []
    for entry in plan:
        current = find_package(packages_dir, entry.from_code, entry.to_code)
        if current is not None and current.version == entry.version:
            outcomes.append(InstallOutcome(current, "already installed", current.pinned(pins)))
            continue
        packages_dir.mkdir(parents=True, exist_ok=True)
        downloads = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}download-", dir=packages_dir))
        try:
            callback = progress(entry.filename) if progress is not None else None
            archive = download_package(
                entry,
                downloads,
                progress=callback,
                pins=pins,
                allow_unpinned=allow_unpinned,
                timeout=timeout,
            )
            pkg = install_archive(archive, packages_dir)
        finally:
            shutil.rmtree(downloads, ignore_errors=True)
        outcomes.append(InstallOutcome(pkg, "installed", pkg.pinned(pins)))
    return outcomes
