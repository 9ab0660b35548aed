"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Temporary files are named ``.<name>.<random>.tmp`` beside their target, so a run that
is killed mid-write leaves only files :func:`remove_stale_temps` recognises. Written
files get the mode the user's umask asks for (``mkstemp`` alone would make them 0600).

:func:`write_files_atomic` writes a group (an article's files) durably at the cost of about
one flush: every file is written beside its target, all are fsync'd at once from a small
thread pool (the file system commits concurrent fsyncs together; one after the other they
cost a disk flush each, ~5 ms apiece), then each is renamed into place and the folders
are fsync'd, so the renames are on disk before the caller writes anything after them.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

TEMP_RE = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.tmp$")


@lru_cache(maxsize=1)
def _file_mode() -> int:
    return 0o666 & ~_umask()


def _umask() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)  # no /proc: read it the only other way, and put it back
    os.umask(current)
    return current


def write_bytes_atomic(path: Path, data: bytes) -> None:
    write_stream_atomic(path, [data])


def write_stream_atomic(path: Path, chunks: Iterable[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fchmod(handle.fileno(), _file_mode())
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


FSYNC_THREADS = 16
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _fsync_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(FSYNC_THREADS, thread_name_prefix="l10n-fsync")
        return _pool


def write_files_atomic(files: Mapping[Path, bytes]) -> None:
    """Write every file atomically and durably, as a group (see the module's notes).

    When this returns, every file is in place and on disk. When it raises, no temporary
    file is left; files renamed before the failure stay (new), the others keep their old
    content — a caller that needs all-or-nothing writes its own marker last.
    """
    if not files:
        return
    temps: list[tuple[int, str, Path]] = []  # open, not yet renamed
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((fd, tmp, path))
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fchmod(fd, _file_mode())
        if len(temps) == 1:
            os.fsync(temps[0][0])
        else:
            for done in [_fsync_pool().submit(os.fsync, fd) for fd, _, _ in temps]:
                done.result()
        folders = {path.parent for _, _, path in temps}
        while temps:
            fd, tmp, path = temps[0]
            temps[0] = (-1, tmp, path)  # closed: never close that number again
            os.close(fd)
            os.replace(tmp, path)
            temps.pop(0)
        for folder in folders:
            _fsync_folder(folder)
    except BaseException:
        for fd, tmp, _ in temps:
            if fd >= 0:
                os.close(fd)
            Path(tmp).unlink(missing_ok=True)
        raise


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a platform that can't open folders: the renames are as durable as it allows
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; nothing more can be done there
    finally:
        os.close(fd)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def remove_stale_temps(folder: Path) -> int:
    """Delete temporary files a killed writer left under ``folder``; returns how many."""
    removed = 0
    for path in folder.rglob(".*.tmp"):
        if path.is_file() and TEMP_RE.match(path.name):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
