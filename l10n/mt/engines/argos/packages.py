"""Argos Translate packages on disk: find, verify, download and install them safely.

argostranslate itself installs by extracting any zip into its data folder and checks no
checksum; a model decides what readers see, so here every archive is checked against a
pinned size and sha256, validated entry by entry, and swapped into place in one rename.
An archive is trusted for nothing it can lie about: its language pair must be valid codes
that agree with its file and folder names, it is installed under a folder name derived
from that pair (so it cannot take another package's folder), it may only replace packages
of its own pair unless ``replace`` names what goes, and what it unpacks to is bounded in
size, compression ratio and entry count. Every archive or disk error becomes a
``PackageError`` and leaves the package folder as it was.
argostranslate is imported inside functions only: importing it reads the environment and
creates folders, which must not happen when ``l10n`` is merely imported.
"""

from __future__ import annotations

import errno
import hashlib
import json
import lzma
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from l10n.errors import L10nError
from l10n.models import ModelInfo
from l10n.text.languages import PIVOT, is_valid_code, normalise_code

OFFICIAL_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
SIDECAR_NAME = ".l10n-install.json"
_TEMP_PREFIX = ".l10n-"
_MAX_METADATA_BYTES = 1 << 20
_RATIO_FLOOR = 1 << 20
"""Entries (and archives) that unpack to less than this are not ratio-checked."""
_VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,31}")
_PAIR_NAME_RE = re.compile(r"translate-([A-Za-z]{2,3})_([A-Za-z]{2,3})(?:-.*)?", re.DOTALL)
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError)

Progress = Callable[[int, int | None], None]
"""Called with (bytes done, bytes expected or None) while a download streams."""


class PackageError(L10nError):
    """A package problem, worded as one line that names the fix."""


@dataclass(frozen=True)
class ArchiveLimits:
    """What one archive may unpack to.

    A published model archive is about 120 MB and barely compresses (its weights are
    quantised numbers), so an archive far larger once unpacked, or one that compresses
    like text a hundredfold, is not a model: it is a zip bomb or a mistake.
    """

    max_unpacked_bytes: int = 2_000_000_000
    max_ratio: float = 100.0
    max_entries: int = 10_000


DEFAULT_LIMITS = ArchiveLimits()


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
    threshold: float | None = None
    """Segments scoring below this are flagged ``low-confidence`` (``models set --threshold``)."""

    def model_info(self) -> ModelInfo:
        """The package as manifests and memory keys record it."""
        return ModelInfo(self.name, self.version, self.sha256, self.from_code, self.to_code)

    def pinned(self, pins: Mapping[str, Pin] = PINNED) -> bool:
        return self.sha256 is not None and any(p.sha256 == self.sha256 for p in pins.values())


@dataclass(frozen=True)
class InstallOutcome:
    package: InstalledPackage
    action: str  # "installed" | "already installed"
    pinned: bool
    replaced: tuple[str, ...] = ()
    """Folder names of the installed packages this install removed."""


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
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
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
        threshold=_threshold(sidecar.get("threshold")),
    )


def _threshold(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def set_threshold(packages_dir: Path, name: str, threshold: float | None) -> list[InstalledPackage]:
    """Record ``threshold`` (None: none) for every installed version of package ``name``
    (e.g. ``translate-en_ja``) in its ``.l10n-install.json``; the packages as now read.

    A package l10n did not install gets a record holding the threshold alone.
    """
    from l10n.run.atomic import write_text_atomic

    found = [p for p in installed_packages(packages_dir) if p.name == name]
    if not found:
        known = ", ".join(sorted({p.name for p in installed_packages(packages_dir)})) or "none"
        raise PackageError(
            f"no installed Argos package named {name!r} in {packages_dir} (installed: {known}); "
            "see `l10n models list`"
        )
    for pkg in found:
        sidecar = {**_read_sidecar(pkg.path), "threshold": threshold}
        try:
            write_text_atomic(pkg.path / SIDECAR_NAME, json.dumps(sidecar, indent=2) + "\n")
        except OSError as exc:
            raise PackageError(f"{pkg.path / SIDECAR_NAME}: could not write ({exc})") from None
    return [p for p in installed_packages(packages_dir) if p.name == name]


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
    from_code: str
    to_code: str
    version: str
    unpacked_bytes: int

    @property
    def name(self) -> str:
        return f"translate-{self.from_code}_{self.to_code}"

    @property
    def folder(self) -> str:
        """The install folder, derived from the checked pair: never the archive's own name."""
        return f"{self.name}-{self.version.replace('.', '_')}"


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _refuse(archive: Path, problem: str) -> PackageError:
    return PackageError(
        f"{archive}: {problem} — not a usable Argos package; "
        "download it again from the official index"
    )


def _megabytes(size: float) -> str:
    if size < 1_000_000:
        return f"{size:,.0f} bytes"
    return f"{size / 1_000_000:,.1f}".removesuffix(".0") + " MB"


def _check_members(archive: Path, zf: zipfile.ZipFile, limits: ArchiveLimits) -> _Plan:
    """Names, kinds and sizes of every entry, before anything is read or written."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise _refuse(archive, f"{len(infos)} entries, more than the {limits.max_entries} allowed")
    members: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    tops: set[str] = set()
    files: dict[str, str] = {}  # case-folded path -> path
    folders: dict[str, str] = {}
    total = 0
    for info in infos:
        raw = info.filename
        if raw.startswith(("/", "\\")) or (len(raw) > 1 and raw[1] == ":") or "\\" in raw:
            raise _refuse(archive, f"entry {raw!r} has an absolute or Windows path")
        rel = PurePosixPath(raw)
        if any(part in ("..", "") for part in rel.parts) or not rel.parts:
            raise _refuse(archive, f"entry {raw!r} points outside its folder")
        if any(ord(ch) < 32 for ch in raw):
            raise _refuse(archive, f"entry {raw!r} has control characters in its name")
        if _is_symlink(info):
            raise _refuse(archive, f"entry {raw!r} is a symbolic link")
        if len(rel.parts) == 1 and not info.is_dir():
            raise _refuse(archive, f"file {raw!r} lies outside the package folder")
        if info.flag_bits & 0x1:
            raise _refuse(archive, f"entry {raw!r} is encrypted")
        if info.compress_type not in _COMPRESSIONS:
            raise _refuse(archive, f"entry {raw!r} uses an unknown compression method")
        key = str(rel).casefold()
        kind, other = (folders, files) if info.is_dir() else (files, folders)
        if key in kind and not info.is_dir():
            same = kind[key] == str(rel)
            clash = "appears twice" if same else f"and {kind[key]!r} differ only in case"
            raise _refuse(archive, f"entry {raw!r} {clash}")
        if key in other:
            raise _refuse(archive, f"{other[key]!r} is both a file and a folder")
        kind[key] = str(rel)
        for parent in list(rel.parents)[:-1]:
            parent_key = str(parent).casefold()
            if parent_key in files:
                raise _refuse(archive, f"{files[parent_key]!r} is both a file and a folder")
            folders.setdefault(parent_key, str(parent))
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise _refuse(
                archive,
                f"entry {raw!r} unpacks from {_megabytes(info.compress_size)} to "
                f"{_megabytes(info.file_size)}, a ratio over {limits.max_ratio:g} "
                "(a zip bomb, not a model)",
            )
        tops.add(rel.parts[0])
        total += info.file_size
        members.append((info, rel))
    if len(tops) != 1:
        found = ", ".join(sorted(tops)) or "none"
        raise _refuse(archive, f"expected one top-level folder, found {len(tops)} ({found})")
    top = tops.pop()
    if top in (".", "..") or top.startswith("."):
        raise _refuse(archive, f"top-level folder {top!r} is not a package name")
    if total > limits.max_unpacked_bytes:
        raise _refuse(
            archive,
            f"unpacks to {_megabytes(total)}, more than the "
            f"{_megabytes(limits.max_unpacked_bytes)} allowed",
        )
    packed = archive.stat().st_size
    if total > _RATIO_FLOOR and total > limits.max_ratio * max(packed, 1):
        raise _refuse(
            archive,
            f"unpacks from {_megabytes(packed)} to {_megabytes(total)}, a ratio over "
            f"{limits.max_ratio:g} (a zip bomb, not a model)",
        )
    return _Plan(top, members, {}, "", "", "", total)


def _check_archive(
    archive: Path, zf: zipfile.ZipFile, limits: ArchiveLimits = DEFAULT_LIMITS
) -> _Plan:
    plan = _check_members(archive, zf, limits)
    top = plan.top
    files = {str(rel.relative_to(top)) for info, rel in plan.members if not info.is_dir()}
    required = {
        "metadata.json": {"metadata.json"},
        "model/model.bin": {"model/model.bin"},
        "a tokenizer (sentencepiece.model or bpe.model)": {"sentencepiece.model", "bpe.model"},
    }
    for label, options in required.items():
        if not options & files:
            raise _refuse(archive, f"missing {label}")
    shared = {"model/shared_vocabulary.txt", "model/shared_vocabulary.json"}
    split = {"model/source_vocabulary.txt", "model/source_vocabulary.json"} & files and {
        "model/target_vocabulary.txt",
        "model/target_vocabulary.json",
    } & files
    if not (shared & files or split):
        raise _refuse(
            archive, "missing model/shared_vocabulary.txt|.json (or source+target vocabularies)"
        )

    info = zf.getinfo(f"{top}/metadata.json")
    if info.file_size > _MAX_METADATA_BYTES:
        raise _refuse(
            archive, f"metadata.json is {_megabytes(info.file_size)}, not a metadata file"
        )
    try:
        metadata = json.loads(zf.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _refuse(archive, f"metadata.json is not valid JSON ({exc})") from exc
    if (
        not isinstance(metadata, dict)
        or not metadata.get("from_code")
        or not metadata.get("to_code")
    ):
        raise _refuse(archive, "metadata.json lacks from_code/to_code")
    from_code, to_code = metadata["from_code"], metadata["to_code"]
    for key, code in (("from_code", from_code), ("to_code", to_code)):
        if not isinstance(code, str) or not _is_package_code(code):
            raise _refuse(
                archive, f"metadata.json {key} {str(code)[:40]!r} is not a language code like ja"
            )
    if from_code == to_code:
        raise _refuse(archive, f"metadata.json translates {from_code} into itself")
    if metadata.get("type", "translate") != "translate":
        raise _refuse(archive, f"metadata.json type {metadata.get('type')!r} is not translate")
    version = metadata.get("package_version", "")
    if not isinstance(version, str) or not _VERSION_RE.fullmatch(version):
        raise _refuse(archive, f"metadata.json package_version {str(version)[:40]!r} is invalid")
    name = archive.name.removesuffix(".argosmodel").removesuffix(".zip")
    for what, label in ((f"file name {archive.name!r}", name), (f"folder {top!r}", top)):
        claimed = _PAIR_NAME_RE.fullmatch(label)
        if claimed and (claimed[1].lower(), claimed[2].lower()) != (from_code, to_code):
            raise PackageError(
                f"{archive}: its {what} says {claimed[1]}→{claimed[2]} but metadata.json says "
                f"{from_code}→{to_code} — the package is mislabelled or altered; "
                "download it again from the official index"
            )
    return _Plan(top, plan.members, metadata, from_code, to_code, version, plan.unpacked_bytes)


def _extract(zf: zipfile.ZipFile, plan: _Plan, into: Path) -> Path:
    """Unpack under ``into/<plan.folder>``; the archive's own top folder name is not used."""
    root = into.resolve()
    for info, rel in plan.members:
        dest = root.joinpath(plan.folder, *rel.parts[1:])
        if not dest.resolve().is_relative_to(root):  # belt and braces after _check_archive
            raise PackageError(f"entry {info.filename!r} escapes the install folder")
        if info.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, dest.open("xb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
    return root / plan.folder


# ---------------------------------------------------------------- install


def install_archive(
    archive: Path,
    packages_dir: Path,
    expected_sha256: str | None = None,
    *,
    replace: Collection[str] = (),
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> InstalledPackage:
    """Verify ``archive`` and install it, replacing any installed package for the same pair.

    Nothing is written until the archive has passed every check; the new folder is unpacked
    beside its final place and renamed in, so a reader sees the old package or the new one.
    Anything else in the way is refused unless ``replace`` names it (folder or package name).
    """
    return _install_archive(archive, packages_dir, expected_sha256, replace, limits)[0]


def _install_archive(
    archive: Path,
    packages_dir: Path,
    expected_sha256: str | None,
    replace: Collection[str],
    limits: ArchiveLimits,
) -> tuple[InstalledPackage, tuple[str, ...]]:
    archive = Path(archive)
    digest = _archive_sha256(archive)
    if expected_sha256 is not None and digest != expected_sha256.lower():
        raise PackageError(
            f"{archive}: sha256 {digest} does not match the expected {expected_sha256} — "
            "the file is corrupt or not the published package; download it again"
        )
    try:
        if not zipfile.is_zipfile(archive):
            raise PackageError(
                f"{archive}: not a zip archive — an .argosmodel file is a zip; download it again"
            )
        with zipfile.ZipFile(archive) as zf:
            plan = _check_archive(archive, zf, limits)
            final = packages_dir / plan.folder
            going = _what_goes(archive, plan, final, packages_dir, replace)
            packages_dir.mkdir(parents=True, exist_ok=True)
            _check_free_space(archive, packages_dir, plan.unpacked_bytes)
            staging = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}install-", dir=packages_dir))
            try:
                unpacked = _extract(zf, plan, staging)
                sidecar = {
                    "archive": archive.name,
                    "sha256": digest,
                    "size": archive.stat().st_size,
                }
                (unpacked / SIDECAR_NAME).write_text(json.dumps(sidecar, indent=2) + "\n")
                candidate = _load_package(unpacked)
                if candidate is None or (candidate.from_code, candidate.to_code) != (
                    plan.from_code,
                    plan.to_code,
                ):
                    raise PackageError(
                        f"{archive}: argostranslate cannot read the unpacked package — "
                        "download it again from the official index"
                    )
                _swap_in(unpacked, final, packages_dir, going)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except PackageError:
        raise
    except _DAMAGED as exc:
        raise _damaged(archive, exc) from exc
    except NotImplementedError as exc:  # a compression method this Python lacks
        raise _damaged(archive, exc) from exc
    except OSError as exc:
        if exc.errno is None:  # bz2 reports a damaged stream as a bare OSError
            raise _damaged(archive, exc) from exc
        raise _disk_error(archive, packages_dir, exc) from exc
    installed = _load_package(final)
    assert installed is not None
    return installed, tuple(path.name for path in going)


def _archive_sha256(archive: Path) -> str:
    if not archive.is_file():
        raise PackageError(f"{archive}: no such file — check the path given to --file")
    try:
        return sha256_file(archive)
    except OSError as exc:
        raise PackageError(
            f"{archive}: cannot read the file ({exc.strerror}) — check that it is readable"
        ) from exc


def _damaged(archive: Path, exc: BaseException) -> PackageError:
    return PackageError(
        f"{archive}: the archive is damaged ({exc}) — download it again; nothing was installed"
    )


def _disk_error(archive: Path, packages_dir: Path, exc: OSError) -> PackageError:
    where = exc.filename or packages_dir
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "free some space or choose another folder with --packages-dir"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "check the folder's permissions or choose another folder with --packages-dir"
    elif exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
        fix = (
            "a file stands where a folder is needed (or the other way round); remove it "
            "or choose another folder with --packages-dir"
        )
    elif exc.errno == errno.ENAMETOOLONG:
        fix = "choose a shorter folder with --packages-dir"
    else:
        fix = "check the package folder and try again"
    return PackageError(
        f"{archive}: could not install into {packages_dir} ({where}: {reason}) — {fix}; "
        "nothing was installed"
    )


def _check_free_space(archive: Path, packages_dir: Path, needed: int) -> None:
    free = shutil.disk_usage(packages_dir).free
    if needed > free:
        raise PackageError(
            f"{archive}: unpacking needs {_megabytes(needed)} but {packages_dir} has "
            f"{_megabytes(free)} free — free some space or choose another folder with "
            "--packages-dir"
        )


def _what_goes(
    archive: Path, plan: _Plan, final: Path, packages_dir: Path, replace: Collection[str]
) -> list[Path]:
    """Installed folders this install removes: its own pair's, and what ``replace`` names.

    Anything else in the way (another pair's package, a foreign folder or file in the
    install folder's place) is refused, so a package can never remove one it is not.
    """
    pair = (plan.from_code, plan.to_code)
    going = [p.path for p in installed_packages(packages_dir) if (p.from_code, p.to_code) == pair]
    if (final.exists() or final.is_symlink()) and final not in going:
        occupant = _load_package(final) if final.is_dir() else None
        names = {final.name} | ({occupant.name} if occupant else set())
        if not names & set(replace):
            if occupant is not None:
                what = (
                    f"the {occupant.from_code}→{occupant.to_code} package {occupant.name} "
                    f"{occupant.version}"
                )
            elif final.is_dir() and not final.is_symlink():
                what = "a folder that is not a package"
            else:
                what = "a file or link that is not a package"
            raise PackageError(
                f"{archive}: its {plan.from_code}→{plan.to_code} package would take the place "
                f"of {what} ({final}) — rerun with --replace {final.name} to remove it, or "
                "move it away first"
            )
        going.append(final)
    return going


def install_file(
    archive: Path,
    packages_dir: Path,
    *,
    allow_unpinned: bool = False,
    pins: Mapping[str, Pin] = PINNED,
    replace: Collection[str] = (),
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> InstallOutcome:
    """Install a local archive, holding it to the pin table like a download.

    A file is pinned when its content matches a pin, whatever it is called; a file named
    like a pinned package whose content differs is refused even with ``allow_unpinned``.
    """
    archive = Path(archive)
    digest = _archive_sha256(archive)
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
    pkg, replaced = _install_archive(archive, packages_dir, digest, replace, limits)
    return InstallOutcome(pkg, "installed", pinned, replaced)


def _swap_in(new: Path, final: Path, packages_dir: Path, going: list[Path]) -> None:
    """Rename ``new`` to ``final``; the folders in ``going`` are moved aside first.

    On failure every folder moved aside is put back, so nothing is half-replaced.
    """
    aside: list[tuple[Path, Path]] = []
    try:
        for old in going:
            parked = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}old-", dir=packages_dir))
            target = parked / old.name
            os.replace(old, target)
            aside.append((old, target))
        os.replace(new, final)
    except OSError:
        for original, parked_at in reversed(aside):
            if not original.exists():
                os.replace(parked_at, original)
                shutil.rmtree(parked_at.parent, ignore_errors=True)
        raise
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
        codes = (item["from_code"], item["to_code"])
        version = item.get("package_version", "")
        if not all(isinstance(c, str) and _is_package_code(c) for c in codes) or not (
            isinstance(version, str) and _VERSION_RE.fullmatch(version)
        ):
            continue  # an entry that could not name a safe file or folder
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
    max_bytes: int = DEFAULT_LIMITS.max_unpacked_bytes,
) -> Path:
    """Stream ``entry`` into ``dest_dir`` and return the verified archive.

    The bytes go to ``<file>.part`` and are renamed only once size and sha256 match the pin,
    so a half or wrong download never looks like a package. An unpinned download stops at
    ``max_bytes``.
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
            done, sha = _stream_to(link, part, pin, progress, timeout, max_bytes)
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
    link: str,
    part: Path,
    pin: Pin | None,
    progress: Progress | None,
    timeout: float,
    max_bytes: int,
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
                    if pin is None and done > max_bytes:
                        raise PackageError(
                            f"{link}: larger than {_megabytes(max_bytes)}, more than any "
                            "model — check --index-url"
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


def _is_package_code(code: str) -> bool:
    """A plain ISO 639 code as package metadata spells it (``ja``; not ``JA`` or ``ja-JP``)."""
    return is_valid_code(code) and normalise_code(code) == code


def plan_pairs(codes: Iterable[str], *, both_ways: bool = True) -> list[tuple[str, str]]:
    """Which packages ``l10n models install ja ko`` means.

    Every target gets en→X; with ``both_ways`` also X→en, so sources in one target language
    can pivot through English into another (ko→en→ja).
    """
    pairs: list[tuple[str, str]] = []
    for raw in codes:
        if not raw.strip():
            continue
        if not is_valid_code(raw):
            raise PackageError(
                f"{raw[:40]!r} is not a language code — name languages by their ISO 639 "
                "code, e.g. `l10n models install ja ko`"
            )
        code = normalise_code(raw)
        if code == PIVOT:
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
    replace: Collection[str] = (),
    limits: ArchiveLimits = DEFAULT_LIMITS,
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
        cause = exc.__cause__ if isinstance(exc.__cause__, Exception) else exc
        raise _NoNetwork(exc.url, cause, known) from exc
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
        try:
            packages_dir.mkdir(parents=True, exist_ok=True)
            downloads = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}download-", dir=packages_dir))
        except OSError as exc:
            raise _disk_error(Path(entry.filename), packages_dir, exc) from exc
        try:
            callback = progress(entry.filename) if progress is not None else None
            archive = download_package(
                entry,
                downloads,
                progress=callback,
                pins=pins,
                allow_unpinned=allow_unpinned,
                timeout=timeout,
                max_bytes=limits.max_unpacked_bytes,
            )
            pkg, replaced = _install_archive(archive, packages_dir, None, replace, limits)
        except OSError as exc:  # writing the download
            raise _disk_error(Path(entry.filename), packages_dir, exc) from exc
        finally:
            shutil.rmtree(downloads, ignore_errors=True)
        outcomes.append(InstallOutcome(pkg, "installed", pkg.pinned(pins), replaced))
    return outcomes
