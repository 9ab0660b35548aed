"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Temporary files are named ``.<name>.<random>.tmp`` beside their target, so a run that
is killed mid-write leaves only files :func:`remove_stale_temps` recognises.

Files and the folders made for them are private to the user (0600/0700) whatever the
umask: runs hold unpublished text. ``L10N_SHARED_GROUP=GROUP`` (``--shared-group``)
opens them to one group instead (0660/2770, group GROUP); ``L10N_SHARED_GROUP=umask``
brings back the umask's modes. :func:`modes` is the one place that decides.

:func:`write_files_atomic` writes a group (an article's files) durably at the cost of about
one flush: every file is written beside its target, all are fsync'd at once from a small
thread pool (the file system commits concurrent fsyncs together; one after the other they
cost a disk flush each, ~5 ms apiece), then each is renamed into place and the folders
are fsync'd, so the renames are on disk before the caller writes anything after them.
"""

from __future__ import annotations

import grp
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from l10n.errors import UsageError

TEMP_RE = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.tmp$")
SHARED_GROUP_ENV = "L10N_SHARED_GROUP"


class Modes(NamedTuple):
    file: int
    folder: int
    gid: int | None  # the group files are given, None: left as the system makes it


def modes(group: str | None = None) -> Modes:
    """The modes new files and folders get, for ``group`` (default: ``L10N_SHARED_GROUP``)."""
    return _modes((os.environ.get(SHARED_GROUP_ENV, "") if group is None else group).strip())


@lru_cache(maxsize=8)
def _modes(group: str) -> Modes:
    if not group:
        return Modes(0o600, 0o700, None)
    if group == "umask":
        umask = _umask()
        return Modes(0o666 & ~umask, 0o777 & ~umask, None)
    try:
        gid = int(group) if group.isdigit() else grp.getgrnam(group).gr_gid
    except KeyError:
        raise UsageError(
            f"{SHARED_GROUP_ENV}={group!r}: no such group on this machine — give a group "
            "you belong to (see `id -Gn`), or leave it unset to keep runs private"
        ) from None
    return Modes(0o660, 0o2770, gid)


def make_folder(path: Path) -> None:
    """``mkdir -p`` whose new folders get :func:`modes` (private by default)."""
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    path.mkdir(parents=True, exist_ok=True)
    wanted = modes()
    for made in reversed(missing):
        if wanted.gid is not None:
            os.chown(made, -1, wanted.gid)
        os.chmod(made, wanted.folder)


def make_new_folder(path: Path) -> None:
    """``mkdir`` of a folder that must not exist yet (FileExistsError if it does): of two
    processes making the same folder, exactly one succeeds. Its parents as :func:`make_folder`."""
    make_folder(path.parent)
    path.mkdir()
    wanted = modes()
    if wanted.gid is not None:
        os.chown(path, -1, wanted.gid)
    os.chmod(path, wanted.folder)


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
    make_folder(path.parent)
    wanted = modes()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            if wanted.gid is not None:
                os.fchown(handle.fileno(), -1, wanted.gid)
            os.fchmod(handle.fileno(), wanted.file)
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
    wanted = modes()
    temps: list[tuple[int, str, Path]] = []  # open, not yet renamed
    try:
        for path, data in files.items():
            make_folder(path.parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((fd, tmp, path))
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if wanted.gid is not None:
                os.fchown(fd, -1, wanted.gid)
            os.fchmod(fd, wanted.file)
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


def fsync_folder(folder: Path) -> None:
    """Make a new name in ``folder`` durable (as far as the platform allows)."""
    _fsync_folder(folder)


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
