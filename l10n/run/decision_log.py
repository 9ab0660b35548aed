"""An article's decision log: review decisions saved since its last full write.

A decision changes one segment; writing the whole article again for it costs time in
proportion to the article. So a save appends the decided segments' stored rows to
``<article>/decisions.jsonl`` instead — one JSON line each, flushed to disk before the save
answers — and a reader replays them on top of ``segments.jsonl``. The next full write of the
article (a run or resume, ``l10n report``, a language becoming publishable, or the log
growing past :func:`compact_after` lines) takes them in and removes the log.

Each line names the ``generation`` of the manifest it was written against; lines of another
generation were taken in by a full write already (a crash between the write and the log's
removal) and are skipped. A line cut short by a crash (kill -9, a full disk) is the last one:
it is skipped and reported, and the next append cuts it off before writing.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.run.atomic import fsync_folder, modes

COMPACT_AFTER = 1000
"""Lines a log may reach before a save writes the article in full (at least; see below)."""


@dataclass
class LogEntries:
    """What a log holds for one manifest generation."""

    rows: dict[int, dict[str, Any]] = field(default_factory=dict)
    """Segment position → its latest stored row."""
    lines: int = 0
    """Lines of this generation (a segment decided twice counts twice)."""
    problems: list[str] = field(default_factory=list)
    """Lines skipped because they can't be read (a torn last line), one message each."""


def compact_after(segments: int) -> int:
    """How many lines a log of an article of ``segments`` segments may hold: growing with the
    article, so the full writes that empty it cost O(1) per decision on average."""
    return max(COMPACT_AFTER, segments)


def read_log(path: Path, generation: str | None, display: str) -> LogEntries:
    """The entries of ``generation`` in the log at ``path`` (none when there is no log)."""
    entries = LogEntries()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return entries
    lines = data.split(b"\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        torn = number == len(lines)  # no line break after it: the append never finished
        try:
            entry = json.loads(line)
            position, row = int(entry["segment"]), entry["row"]
            if not isinstance(row, dict):
                raise TypeError("row is not an object")
        except (ValueError, KeyError, TypeError) as exc:
            what = "cut short (a save was interrupted)" if torn else f"not a decision ({exc})"
            entries.problems.append(
                f"{display}:{number}: {what} — skipped; the segment keeps its earlier review"
            )
            continue
        if torn:
            entries.problems.append(
                f"{display}:{number}: no line break after it (a save was interrupted) — "
                "skipped; the segment keeps its earlier review"
            )
            continue
        if entry.get("generation") != generation or generation is None:
            continue
        entries.rows[position] = row
        entries.lines += 1
    return entries


def append_rows(path: Path, generation: str, rows: dict[int, dict[str, Any]]) -> None:
    """Append one line per decided segment and flush it to disk (OSError when it can't be).

    A torn last line an earlier save left is cut off first; a write that fails part way is
    cut off again, so the log never keeps half a line it could glue the next one to.
    """
    payload = b"".join(
        json.dumps(
            {"generation": generation, "segment": position, "row": row}, ensure_ascii=False
        ).encode("utf-8")
        + b"\n"
        for position, row in rows.items()
    )
    created = not path.exists()
    wanted = modes()
    fd = os.open(path, os.O_RDWR | os.O_CREAT, wanted.file)
    try:
        if created:
            if wanted.gid is not None:
                os.fchown(fd, -1, wanted.gid)
            os.fchmod(fd, wanted.file)
        end = _whole_lines_end(fd)
        try:
            os.lseek(fd, end, os.SEEK_SET)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.ftruncate(fd, end + len(payload))
            os.fsync(fd)
        except OSError:
            # the reader skips a torn line, and the next append cuts it off
            with contextlib.suppress(OSError):
                os.ftruncate(fd, end)
            raise
    finally:
        os.close(fd)
    if created:
        fsync_folder(path.parent)


def _whole_lines_end(fd: int) -> int:
    """Where the log's last complete line ends (its size, unless a line is torn)."""
    size = os.fstat(fd).st_size
    if size == 0:
        return 0
    os.lseek(fd, size - 1, os.SEEK_SET)
    if os.read(fd, 1) == b"\n":
        return size
    os.lseek(fd, 0, os.SEEK_SET)
    data = b""
    while chunk := os.read(fd, 1 << 20):
        data += chunk
    return data.rfind(b"\n") + 1
