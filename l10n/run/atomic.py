"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Temporary files are named ``.<name>.<random>.tmp`` beside their target, so a run that
is killed mid-write leaves only files :func:`remove_stale_temps` recognises. Written
files get the mode the user's umask asks for (``mkstemp`` alone would make them 0600).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
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
