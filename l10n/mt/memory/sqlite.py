"""The translation memory in one SQLite file (the default).

WAL mode lets readers run beside a writer; every write is ``BEGIN IMMEDIATE``, so a writer
takes the lock before it reads anything and waits (up to ``busy_timeout``) instead of failing
with "database is locked" when another process writes at the same time. The file must sit on
a local disk: SQLite's locking does not hold on network file systems, where PostgreSQL is the
answer.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from l10n.mt.memory.base import SCHEMA_VERSION, SCORE_TABLE, TranslationMemory, check_version
from l10n.mt.memory.records import TranslationMemoryError
from l10n.run.atomic import make_folder, modes

SCHEMA = (
    "CREATE TABLE tm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE tm_engine (id TEXT PRIMARY KEY, engine TEXT NOT NULL, spec TEXT NOT NULL, "
    "pseudo INTEGER NOT NULL)",
    "CREATE TABLE tm_mt (key TEXT PRIMARY KEY, source_lang TEXT NOT NULL, "
    "target_lang TEXT NOT NULL, source_text TEXT NOT NULL, mt_text TEXT NOT NULL, "
    "engine_id TEXT NOT NULL, run_id TEXT, created TEXT NOT NULL)",
    "CREATE TABLE tm_approved (key TEXT PRIMARY KEY, source_lang TEXT NOT NULL, "
    "target_lang TEXT NOT NULL, source_text TEXT NOT NULL, target_text TEXT NOT NULL, "
    "reviewer TEXT NOT NULL, approved_at TEXT NOT NULL, run_id TEXT, article_id TEXT, "
    "segment INTEGER)",
)


class SQLiteMemory(TranslationMemory):
    backend = "sqlite"
    # SQLite builds before 3.32 allow 999 parameters per statement.
    lookup_batch = 900

    def __init__(self, path: Path, *, create: bool = True, busy_timeout: float = 60.0) -> None:
        self.path = path.expanduser().absolute()
        self.busy_timeout = busy_timeout
        super().__init__(location=str(self.path), display=str(path))
        if self.path.is_dir():
            raise TranslationMemoryError(
                f"translation memory {path} is a folder — give a file, e.g. {path}/.l10n-tm.sqlite"
            )
        if not create and not self.path.exists():
            raise TranslationMemoryError(
                f"no translation memory at {path} — check the path, or give --tm LOCATION"
            )
        try:
            make_folder(self.path.parent)
            _create_private(self.path)
        except OSError as exc:
            raise TranslationMemoryError(
                f"translation memory {path}: cannot create its folder ({exc.strerror})"
            ) from exc
        try:
            self._setup()
        except BaseException:
            self.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
        )
        # In WAL mode NORMAL loses at most the last commits on power loss, never consistency.
        conn.execute("PRAGMA synchronous = NORMAL")
        # SQLite's own 2 MB page cache: 32 MB measured no faster (300,000 segments, and
        # 5,000-article runs; the file sits in the system's cache) and grew every
        # connection by up to 30 MB once the memory outgrew it.
        return conn

    def _setup(self) -> None:
        try:
            self._retry(self._setup_once)
        except sqlite3.OperationalError as exc:
            raise TranslationMemoryError(
                f"cannot open the translation memory {self.display}: {exc}"
            ) from exc
        except sqlite3.DatabaseError as exc:
            raise TranslationMemoryError(
                f"{self.display} is damaged, or is not a translation memory ({exc}) — "
                f"`l10n tm recover {self.display}` keeps what SQLite can still read (the "
                "damaged file is kept beside it); or give another file with --tm"
            ) from exc

    def _damage_hint(self, exc: BaseException) -> str:
        damaged = ("malformed", "not a database", "disk image", "corrupt")
        if isinstance(exc, sqlite3.DatabaseError) and any(w in str(exc) for w in damaged):
            return (
                f" — the file is damaged: `l10n tm recover {self.display}` keeps what SQLite "
                "can still read"
            )
        return ""

    def _setup_once(self) -> None:
        conn = self._conn()
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            # Processes opening a new file together race here; the loser is retried.
            conn.execute("PRAGMA journal_mode = WAL")
        if not self._tables(conn):
            # Empty file: create the tables, unless another process just did.
            with self._write(conn) as cur:
                if not self._tables(cur):
                    for statement in SCHEMA:
                        cur.execute(statement)
                    cur.execute(
                        "INSERT INTO tm_meta (name, value) VALUES ('schema_version', ?)",
                        (SCHEMA_VERSION,),
                    )
        tables = self._tables(conn)
        if "tm_meta" not in tables:
            raise TranslationMemoryError(
                f"{self.display} is a SQLite database of something else (tables: "
                f"{', '.join(sorted(tables)[:5])}) — give a new file for the memory"
            )
        check_version(self.display, conn.cursor(), "SELECT value FROM tm_meta WHERE name = ?")
        if "tm_score" not in tables:
            with self._write(conn) as cur:
                cur.execute(SCORE_TABLE)

    @staticmethod
    def _tables(conn: sqlite3.Connection | sqlite3.Cursor) -> set[str]:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return {row[0] for row in rows}

    @contextmanager
    def _write(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Cursor]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn.cursor()
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _fetch(
        self, conn: sqlite3.Connection, table: str, column: str, keys: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        marks = ", ".join("?" * len(keys))
        return conn.execute(
            f"SELECT key, {column} FROM {table} WHERE key IN ({marks})", list(keys)
        ).fetchall()

    def _rows(
        self, conn: sqlite3.Connection, sql: str, params: Sequence[Any]
    ) -> Iterator[tuple[Any, ...]]:
        yield from conn.execute(sql, list(params))

    def _size_bytes(self, conn: sqlite3.Connection) -> int | None:
        paths = (self.path, self.path.with_name(self.path.name + "-wal"))
        return sum(p.stat().st_size for p in paths if p.exists())

    def _db_errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.Error,)

    def _is_busy(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and (
            "locked" in str(exc) or "busy" in str(exc)
        )

    def _stamp(self, moment: datetime) -> str:
        return moment.astimezone(UTC).isoformat(timespec="microseconds")

    def _read_stamp(self, value: Any) -> datetime:
        return datetime.fromisoformat(value)


def _create_private(path: Path) -> None:
    """An empty file with the run files' mode, private by default (SQLite would make it 0644)."""
    wanted = modes()
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, wanted.file)
    except FileExistsError:
        return
    try:
        if wanted.gid is not None:
            os.fchown(fd, -1, wanted.gid)
        os.fchmod(fd, wanted.file)
    finally:
        os.close(fd)
