"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Temporary files are named ``.<name>.<random>.tmp`` beside their target, so a run that
is killed mid-write leaves only files :func:`remove_stale_temps` recognises.

Files and the folders made for them are private to the user (0600/0700) whatever the
umask: runs hold unpublished text. ``L10N_SHARED_GROUP=GROUP`` (``--shared-group``)
opens them to one group instead (0660/2770, group GROUP); ``L10N_SHARED_GROUP=umask``
brings back the umask's modes. :func:`modes` is the one place that decides.
"""

from __future__ import annotations

import grp
import os
import re
import tempfile
from collections.abc import Iterable
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
