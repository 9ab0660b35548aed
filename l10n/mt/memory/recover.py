"""Recovering a damaged SQLite translation memory: keep every row SQLite can still read.

``recover(path)`` copies the readable rows of each memory table into a fresh memory
beside the damaged file, reading by rowid ranges and halving a range that fails until
the unreadable rows are isolated (a damaged page costs its own rows only). The damaged
file is then kept as ``NAME.damaged-<time>`` and the new memory takes its name, so
later runs use it as they did before.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from l10n.mt.memory.records import TranslationMemoryError
from l10n.mt.memory.sqlite import SQLiteMemory

TABLES = ("tm_engine", "tm_mt", "tm_approved")
CHUNK = 512


@dataclass
class Recovery:
    """What ``recover`` kept: rows per table, the unreadable rowids, where the old file went."""

    kept: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)
    damaged_copy: Path | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.kept.values())


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _read_range(
    conn: sqlite3.Connection, table: str, columns: list[str], lo: int, hi: int, lost: list[int]
) -> Iterator[tuple[object, ...]]:
    """Rows with lo <= rowid < hi; halves a failing range, counting rowids never read."""
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE rowid >= ? AND rowid < ?"
    try:
        rows = conn.execute(sql, (lo, hi)).fetchall()
    except sqlite3.DatabaseError:
        if hi - lo <= 1:
            lost.append(lo)
            return
        middle = (lo + hi) // 2
        yield from _read_range(conn, table, columns, lo, middle, lost)
        yield from _read_range(conn, table, columns, middle, hi, lost)
        return
    yield from rows


def _last_rowid(conn: sqlite3.Connection, table: str) -> int | None:
    try:
        value = conn.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        return None
    return int(value or 0)


def recover(path: Path) -> Recovery:
    """Replace the damaged memory at ``path`` by the rows still readable in it."""
    path = path.expanduser().absolute()
    if not path.is_file():
        raise TranslationMemoryError(
            f"no translation memory file at {path} — give the file that l10n reported"
        )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    fresh_path = path.with_name(f".{path.name}.recovering-{stamp}")
    reading = path.with_name(f".{path.name}.reading-{stamp}")
    report = Recovery()
    try:
        _readable_copy(path, reading)
        old = sqlite3.connect(reading)
        old.execute("PRAGMA cell_size_check = ON")
    except (OSError, sqlite3.Error) as exc:
        _remove(reading)
        raise TranslationMemoryError(f"cannot read {path} at all ({exc})") from exc
    try:
        return _recover(path, old, fresh_path, stamp, report)
    finally:
        old.close()
        _remove(reading)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _readable_copy(path: Path, copy: Path) -> None:
    """A copy of the file (and its WAL) that SQLite will open even when it was truncated.

    A truncated file still claims its old page count in its header, and SQLite then
    reads nothing: the copy's header gets the pages the file really has.
    """
    shutil.copyfile(path, copy)
    if Path(f"{path}-wal").exists():
        shutil.copyfile(f"{path}-wal", f"{copy}-wal")
    with copy.open("r+b") as handle:
        header = handle.read(100)
        if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
            return  # not even a header: SQLite says so when it opens the copy
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        if page_size < 512:
            return
        pages = copy.stat().st_size // page_size
        handle.truncate(pages * page_size)
        handle.seek(28)
        handle.write(pages.to_bytes(4, "big"))


def _recover(
    path: Path, old: sqlite3.Connection, fresh_path: Path, stamp: str, report: Recovery
) -> Recovery:
    fresh = SQLiteMemory(fresh_path)
    try:
        conn = fresh._conn()
        for table in TABLES:
            wanted = _columns(conn, table)
            try:
                present = set(_columns(old, table))
            except sqlite3.DatabaseError as exc:
                present = set()
                report.problems.append(f"{table}: {exc}")
            columns = [c for c in wanted if c in present]
            if not present or len(columns) != len(wanted):
                report.kept[table] = 0
                if present:
                    report.problems.append(f"{table}: columns differ, not copied")
                continue
            last = _last_rowid(old, table)
            if last is None:
                report.problems.append(f"{table}: its index is unreadable; scanned rowids")
                last = path.stat().st_size // 16  # no row is smaller than 16 bytes
            lost: list[int] = []
            kept = 0
            placeholders = ", ".join("?" for _ in columns)
            insert = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
            for lo in range(0, last + 1, CHUNK):
                rows = list(_read_range(old, table, columns, lo, lo + CHUNK, lost))
                if rows:
                    with fresh._write(conn) as cur:
                        cur.executemany(insert, rows)
                    kept += len(rows)
            report.kept[table] = kept
            report.unreadable[table] = len(lost)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        fresh.close()
        _remove(fresh_path)
        raise
    fresh.close()
    report.damaged_copy = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            os.replace(f"{path}{suffix}", f"{report.damaged_copy}{suffix}")
        if suffix:
            Path(f"{fresh_path}{suffix}").unlink(missing_ok=True)
    os.replace(fresh_path, path)
    return report
