"""Where a run's files live: a local folder, or shared storage through fsspec (``s3://`` …).

Both backends take paths relative to the run folder, made only of safe names, so nothing
a run reads or writes can land outside it. Local writes are atomic (write beside, then
rename); an object store's put is atomic per object.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol

from l10n.errors import L10nError
from l10n.run.atomic import (
    remove_stale_temps,
    write_bytes_atomic,
    write_files_atomic,
    write_stream_atomic,
)

ALLOWED_PROTOCOLS = ("file", "local", "s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "memory")
"""Storage that ``--out`` and the translation memory may use; anything else is refused.

fsspec also speaks http, ssh, ftp, git and archive formats; an output location taken
from a form must not become a way to reach those.
"""


class StorageError(L10nError):
    """Output storage that cannot be used; the message names the location and the fix."""

    exit_code = 2


def protocol_of(location: str) -> str:
    return location.split("://", 1)[0].lower() if "://" in location else "file"


def is_remote(location: str) -> bool:
    return protocol_of(location) not in {"file", "local"}


def local_path(location: str) -> Path:
    """The folder a local location names (``file://`` and ``local://`` taken off)."""
    return Path(location.split("://", 1)[1] if "://" in location else location)


def check_location(location: str, *, what: str = "--out") -> str:
    """``location`` when its protocol is allowed; a StorageError naming the choices otherwise."""
    protocol = protocol_of(location)
    if protocol not in ALLOWED_PROTOCOLS or "::" in location:
        allowed = ", ".join(p for p in ALLOWED_PROTOCOLS if p not in {"local", "memory"})
        raise StorageError(
            f"{what} {location!r}: the storage type {protocol!r} is not allowed — use a "
            f"folder or one of: {allowed}"
        )
    return location


def safe_relative(rel: str) -> str:
    """``rel`` if it is a relative path of plain names; StorageError otherwise."""
    parts = rel.split("/")
    if (
        not rel
        or rel.startswith("/")
        or "\\" in rel
        or "\x00" in rel
        or any(part in {"", ".", ".."} for part in parts)
    ):
        raise StorageError(f"{rel!r} is not a path inside the run folder — refusing to use it")
    return rel


class Storage(Protocol):
    """A run folder's files, addressed by safe relative paths."""

    def write(self, rel: str, data: bytes) -> None: ...
    def write_many(self, files: Mapping[str, bytes]) -> None: ...
    def write_stream(self, rel: str, chunks: Iterable[bytes]) -> None: ...
    def read(self, rel: str) -> bytes: ...
    def remove(self, rel: str) -> None: ...
    def free_bytes(self) -> int | None: ...
    def exists(self, rel: str) -> bool: ...
    def size(self, rel: str) -> int | None: ...
    def names(self, rel: str = "") -> list[str]: ...
    def display(self, rel: str = "") -> str: ...
    def local_path(self) -> Path | None: ...
    def clean_stale(self) -> int: ...


class LocalStorage:
    """A run folder on a local disk."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, rel: str) -> Path:
        return self.root / safe_relative(rel) if rel else self.root

    def write(self, rel: str, data: bytes) -> None:
        path = self._path(rel)
        try:
            write_bytes_atomic(path, data)
        except OSError as exc:
            raise StorageError(_os_problem(path, exc)) from exc

    def write_many(self, files: Mapping[str, bytes]) -> None:
        """Each file atomic, all of them on disk when this returns (one flush for the group)."""
        paths = {self._path(rel): data for rel, data in files.items()}
        try:
            write_files_atomic(paths)
        except OSError as exc:
            where = Path(exc.filename) if exc.filename else next(iter(paths), self.root)
            raise StorageError(_os_problem(where, exc)) from exc

    def write_stream(self, rel: str, chunks: Iterable[bytes]) -> None:
        path = self._path(rel)
        try:
            write_stream_atomic(path, chunks)
        except OSError as exc:
            raise StorageError(_os_problem(path, exc)) from exc

    def read(self, rel: str) -> bytes:
        return self._path(rel).read_bytes()

    def remove(self, rel: str) -> None:
        self._path(rel).unlink(missing_ok=True)

    def free_bytes(self) -> int | None:
        folder = self.root
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        return shutil.disk_usage(folder).free

    def exists(self, rel: str) -> bool:
        return self._path(rel).exists()

    def size(self, rel: str) -> int | None:
        try:
            return self._path(rel).stat().st_size
        except OSError:
            return None

    def names(self, rel: str = "") -> list[str]:
        folder = self._path(rel)
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    def display(self, rel: str = "") -> str:
        return str(self._path(rel))

    def local_path(self) -> Path | None:
        return self.root

    def clean_stale(self) -> int:
        return remove_stale_temps(self.root) if self.root.is_dir() else 0


class FsspecStorage:
    """A run folder on storage fsspec reaches (``s3://bucket/runs/<run-id>``)."""

    def __init__(self, url: str) -> None:
        import fsspec

        self.url = url.rstrip("/")
        self.fs, self.base = fsspec.core.url_to_fs(self.url)

    def _path(self, rel: str) -> str:
        return f"{self.base}/{safe_relative(rel)}" if rel else self.base

    def write(self, rel: str, data: bytes) -> None:
        path = self._path(rel)
        try:  # object stores need no folders, and creating one could create a bucket
            self.fs.pipe_file(path, data)
        except OSError as exc:
            raise StorageError(f"{self.display(rel)}: cannot write ({exc}) — check access") from exc

    def write_many(self, files: Mapping[str, bytes]) -> None:
        for rel, data in files.items():  # each put is atomic and durable on its own
            self.write(rel, data)

    def write_stream(self, rel: str, chunks: Iterable[bytes]) -> None:
        """Spooled to a local file first, then put whole: a writer that fails part way
        (a file whose upload is closed on the way out is committed) leaves the old object."""
        path = self._path(rel)
        try:
            with tempfile.NamedTemporaryFile(prefix="l10n-upload-") as spool:
                for chunk in chunks:
                    spool.write(chunk)
                spool.flush()
                self.fs.put_file(spool.name, path)
        except OSError as exc:
            raise StorageError(f"{self.display(rel)}: cannot write ({exc}) — check access") from exc

    def read(self, rel: str) -> bytes:
        data: bytes = self.fs.cat_file(self._path(rel))
        return data

    def remove(self, rel: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self._path(rel))

    def free_bytes(self) -> int | None:
        return None  # object stores do not run out in a way a run can check

    def exists(self, rel: str) -> bool:
        return bool(self.fs.exists(self._path(rel)))

    def size(self, rel: str) -> int | None:
        try:
            return int(self.fs.size(self._path(rel)))
        except (OSError, TypeError, ValueError):
            return None

    def names(self, rel: str = "") -> list[str]:
        try:
            entries = self.fs.ls(self._path(rel), detail=False)
        except (FileNotFoundError, NotADirectoryError):
            return []
        return sorted(str(e).rstrip("/").rsplit("/", 1)[-1] for e in entries)

    def display(self, rel: str = "") -> str:
        return f"{self.url}/{safe_relative(rel)}" if rel else self.url

    def local_path(self) -> Path | None:
        return None

    def clean_stale(self) -> int:
        return 0  # objects are written whole; nothing half-written is ever visible


def storage_for(location: str) -> Storage:
    """The storage backend of a run folder location (a path or an allowed URL)."""
    check_location(location)
    if is_remote(location):
        return FsspecStorage(location)
    return LocalStorage(local_path(location))


def _os_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"{path}: the disk is full — free space or choose another --out"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{path}: not writable ({os.strerror(exc.errno)}) — choose another --out"
    return f"{path}: cannot write ({exc.strerror or exc}) — check the output folder"
