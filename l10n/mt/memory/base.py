"""The translation memory's interface and the SQL that SQLite and PostgreSQL share.

Each process and each thread gets its own database connection, opened on first use: a
memory object may be handed to worker threads, and pickling one (to a Dask worker) sends
only its location, so the worker connects by itself. Writes are one transaction per call
with ``executemany``; lookups are one query per batch of keys.
"""

from __future__ import annotations

import functools
import json
import os
import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from l10n.mt.memory.records import (
    Approval,
    EngineStats,
    Hit,
    MemoryStats,
    MTEntry,
    PairStats,
    TranslationMemoryError,
    approval_key,
    approval_keys,
    fingerprint_id,
    fingerprint_json,
    translation_keys,
)

SCHEMA_VERSION = "1"
# The model's score of each raw MT, beside tm_mt: added without a new schema version, so a
# memory older than scores gains the table when opened and older l10n versions ignore it.
SCORE_TABLE = "CREATE TABLE IF NOT EXISTS tm_score (key TEXT PRIMARY KEY, score REAL NOT NULL)"
TABLES = ("tm_meta", "tm_engine", "tm_mt", "tm_approved")
# Rows per write transaction: long enough to be cheap, short enough to let other writers in.
WRITE_BATCH = 5000
# How long an operation that met a busy database (or a deadlock) is retried before it fails.
RETRY_SECONDS = 120.0

T = TypeVar("T")


class TranslationMemory(ABC):
    """Exact-match memory of raw MT and approved translations, in one database.

    Use :func:`l10n.mt.memory.open_memory` to get one; close it (or use ``with``) when done.
    """

    backend: ClassVar[str]
    # The backend cannot store U+0000 in text (PostgreSQL); such rows are skipped, not fatal.
    rejects_nul: ClassVar[bool] = False
    # How the backend's driver writes a query parameter.
    param: ClassVar[str] = "?"
    # Keys per lookup query; each backend picks what its parameter limits allow.
    lookup_batch: ClassVar[int] = 500

    def __init__(self, location: str, display: str) -> None:
        self.location = location
        self.display = display
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._local = threading.local()
        self._connections: list[Any] = []
        self._inherited: list[Any] = []
        self._closed = False

    # -- what each backend provides -------------------------------------------------------

    @abstractmethod
    def _connect(self) -> Any:
        """A new connection in autocommit mode."""

    @abstractmethod
    def _write(self, conn: Any) -> Any:
        """A context manager: one write transaction, yielding a cursor."""

    @abstractmethod
    def _fetch(
        self, conn: Any, table: str, column: str, keys: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        """``(key, column)`` for the rows of ``table`` whose key is in ``keys``."""

    @abstractmethod
    def _rows(self, conn: Any, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Stream the rows of a query."""

    @abstractmethod
    def _size_bytes(self, conn: Any) -> int | None: ...

    @abstractmethod
    def _db_errors(self) -> tuple[type[BaseException], ...]: ...

    def _is_busy(self, exc: BaseException) -> bool:
        """Whether ``exc`` means "try again": another writer won, nothing was changed."""
        return False

    def _stamp(self, moment: datetime) -> Any:
        return moment

    def _read_stamp(self, value: Any) -> datetime:
        assert isinstance(value, datetime)
        return value

    # -- the interface -------------------------------------------------------------------

    def lookup(
        self,
        texts: Iterable[str],
        source: str,
        target: str,
        fingerprint: Mapping[str, Any],
        *,
        approved: bool = True,
    ) -> dict[str, Hit]:
        """For each text the memory knows: its approved translation if any, else its raw MT.

        Raw MT must come from the engine ``fingerprint`` names; approved translations match on
        text and pair alone. ``approved=False`` asks for raw MT only.
        """
        unique = list(dict.fromkeys(texts))
        hits: dict[str, Hit] = {}
        with self._errors() as conn:
            if approved and self._has_approvals(conn, source, target):
                keys = dict(zip(approval_keys(unique, source, target), unique, strict=True))
                for key, value in self._fetch_all(conn, "tm_approved", "target_text", keys):
                    hits[keys[key]] = Hit(value, "approved")
            rest = [t for t in unique if t not in hits]
            keys = dict(zip(translation_keys(rest, source, target, fingerprint), rest, strict=True))
            found = {key: value for key, value in self._fetch_all(conn, "tm_mt", "mt_text", keys)}
            scores = dict(self._fetch_all(conn, "tm_score", "score", found)) if found else {}
            for key, value in found.items():
                score = scores.get(key)
                hits[keys[key]] = Hit(value, "mt", float(score) if score is not None else None)
        return hits

    def record(self, entries: Iterable[MTEntry]) -> int:
        """Store raw MT; an entry already there (same key) is kept as it was. Returns rows sent."""
        groups: dict[tuple[str, str, int], list[MTEntry]] = {}
        for e in entries:
            if self._storable(e.source_text, e.mt):
                groups.setdefault((e.source, e.target, id(e.fingerprint)), []).append(e)
        rows: list[tuple[Any, ...]] = []
        score_rows: list[tuple[str, float]] = []
        engines: dict[str, tuple[Any, ...]] = {}
        for (source, target, _), group in groups.items():
            fingerprint = dict(group[0].fingerprint)
            fid = fingerprint_id(fingerprint)
            first = group[0]
            engines.setdefault(
                fid, (fid, first.engine, fingerprint_json(fingerprint), bool(first.pseudo))
            )
            keys = translation_keys((e.source_text for e in group), source, target, fingerprint)
            for key, e in zip(keys, group, strict=True):
                stamp = self._stamp(e.created)
                rows.append((key, source, target, e.source_text, e.mt, fid, e.run_id, stamp))
                if e.score is not None:
                    score_rows.append((key, float(e.score)))
        p = self.param
        engine_sql = (
            f"INSERT INTO tm_engine (id, engine, spec, pseudo) VALUES ({p}, {p}, {p}, {p}) "
            "ON CONFLICT (id) DO NOTHING"
        )
        mt_sql = (
            "INSERT INTO tm_mt (key, source_lang, target_lang, source_text, mt_text, engine_id, "
            f"run_id, created) VALUES ({', '.join([p] * 8)}) ON CONFLICT (key) DO NOTHING"
        )
        score_sql = (
            f"INSERT INTO tm_score (key, score) VALUES ({p}, {p}) ON CONFLICT (key) DO NOTHING"
        )
        # Sorted keys: concurrent writers of overlapping batches then lock rows in one order.
        rows.sort()
        score_rows.sort()
        engine_rows = sorted(engines.values())
        with self._errors() as conn:
            for start in range(0, len(rows), WRITE_BATCH):
                batch = rows[start : start + WRITE_BATCH]
                batch_keys = {row[0] for row in batch}
                self._write_rows(
                    conn,
                    (engine_sql, engine_rows if start == 0 else []),
                    (mt_sql, batch),
                    (score_sql, [s for s in score_rows if s[0] in batch_keys]),
                )
        return len(rows)

    def approve(self, approvals: Iterable[Approval], *, replace: bool = False) -> int:
        """Store reviewed translations; for one text and pair the latest approval wins.

        ``replace=True`` (a reviewer deciding now) replaces the stored approval whatever its
        date says: a record dated in the future can't outlive every later decision.
        """
        rows = sorted(
            (
                approval_key(a.source_text, a.source, a.target),
                a.source,
                a.target,
                a.source_text,
                a.target_text,
                a.reviewer,
                self._stamp(a.approved_at),
                a.run_id,
                a.article_id,
                a.segment,
            )
            for a in approvals
            if self._storable(a.source_text, a.target_text, a.reviewer)
        )
        p = self.param
        sql = (
            "INSERT INTO tm_approved (key, source_lang, target_lang, source_text, target_text, "
            "reviewer, approved_at, run_id, article_id, segment) "
            f"VALUES ({', '.join([p] * 10)}) ON CONFLICT (key) DO UPDATE SET "
            "target_text = excluded.target_text, reviewer = excluded.reviewer, "
            "approved_at = excluded.approved_at, run_id = excluded.run_id, "
            "article_id = excluded.article_id, segment = excluded.segment"
            + ("" if replace else " WHERE excluded.approved_at >= tm_approved.approved_at")
        )
        with self._errors() as conn:
            for start in range(0, len(rows), WRITE_BATCH):
                self._write_rows(conn, (sql, rows[start : start + WRITE_BATCH]))
        return len(rows)

    def iter_mt(
        self, source: str | None = None, target: str | None = None, *, pseudo: bool = False
    ) -> Iterator[MTEntry]:
        """Every stored raw MT of a pair (or of all pairs); pseudo-localized rows only if asked."""
        where, params = self._pair_filter("m", source, target)
        if not pseudo:
            where.append(f"e.pseudo = {self.param}")
            params.append(False)
        sql = (
            "SELECT m.source_text, m.source_lang, m.target_lang, e.spec, m.mt_text, m.run_id, "
            "e.pseudo, m.created FROM tm_mt m JOIN tm_engine e ON e.id = m.engine_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY m.source_lang, m.target_lang, m.created, m.key"
        )
        with self._errors() as conn:
            for text, src, tgt, spec, mt, run_id, is_pseudo, created in self._rows(
                conn, sql, params
            ):
                fingerprint = json.loads(spec)
                stamp = self._read_stamp(created)
                yield MTEntry(text, src, tgt, fingerprint, mt, run_id, bool(is_pseudo), stamp)

    def approval_of(self, source_text: str, source: str, target: str) -> Approval | None:
        """The approved translation stored for one text and pair, with who approved it."""
        p = self.param
        sql = (
            "SELECT target_text, reviewer, run_id, article_id, segment, approved_at "
            f"FROM tm_approved WHERE key = {p}"
        )
        key = approval_key(source_text, source, target)
        with self._errors() as conn:
            for text, reviewer, run_id, article, segment, at in self._rows(conn, sql, [key]):
                return Approval(
                    source_text,
                    source,
                    target,
                    text,
                    reviewer,
                    run_id,
                    article,
                    segment,
                    approved_at=self._read_stamp(at),
                )
        return None

    def iter_approved(
        self, source: str | None = None, target: str | None = None
    ) -> Iterator[Approval]:
        """Every approved translation of a pair (or of all pairs)."""
        where, params = self._pair_filter("a", source, target)
        sql = (
            "SELECT a.source_text, a.source_lang, a.target_lang, a.target_text, a.reviewer, "
            "a.run_id, a.article_id, a.segment, a.approved_at FROM tm_approved a"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY a.source_lang, a.target_lang, a.approved_at, a.key"
        )
        with self._errors() as conn:
            for row in self._rows(conn, sql, params):
                text, source, target, target_text, reviewer, run_id, article, segment, at = row
                yield Approval(
                    text,
                    source,
                    target,
                    target_text,
                    reviewer,
                    run_id,
                    article,
                    segment,
                    approved_at=self._read_stamp(at),
                )

    def stats(self) -> MemoryStats:
        """How many raw MT and approved rows, per pair and per engine."""
        with self._errors() as conn:
            pairs: dict[tuple[str, str], list[int]] = {}
            for index, table in enumerate(("tm_mt", "tm_approved")):
                sql = (
                    f"SELECT source_lang, target_lang, COUNT(*) FROM {table} "
                    "GROUP BY source_lang, target_lang"
                )
                for src, tgt, count in self._rows(conn, sql, ()):
                    pairs.setdefault((src, tgt), [0, 0])[index] = int(count)
            sql = (
                "SELECT e.engine, e.id, e.pseudo, COUNT(m.key) FROM tm_engine e "
                "LEFT JOIN tm_mt m ON m.engine_id = e.id GROUP BY e.engine, e.id, e.pseudo "
                "ORDER BY e.engine, e.id"
            )
            engines = [
                EngineStats(name, fid, bool(is_pseudo), int(count))
                for name, fid, is_pseudo, count in self._rows(conn, sql, ())
            ]
            size = self._size_bytes(conn)
        return MemoryStats(
            location=self.display,
            backend=self.backend,
            mt=sum(c[0] for c in pairs.values()),
            approved=sum(c[1] for c in pairs.values()),
            pairs=[PairStats(s, t, c[0], c[1]) for (s, t), c in sorted(pairs.items())],
            engines=engines,
            size_bytes=size,
        )

    def close(self) -> None:
        """Close this process's connections; the object may not be used afterwards."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._closed = True
        for conn in connections:
            # Closing must not hide the error that led here.
            with suppress(Exception):
                conn.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __reduce__(self) -> tuple[Any, ...]:
        # A worker process reopens by location; connections never cross processes.
        from l10n.mt.memory import open_memory

        return (open_memory, (self.location,))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.display}>"

    # -- helpers -------------------------------------------------------------------------

    def _conn(self) -> Any:
        if self._closed:
            raise TranslationMemoryError(f"translation memory {self.display} is closed")
        if os.getpid() != self._pid:
            # A forked child must not use (or close) its parent's connections.
            with self._lock:
                self._inherited.extend(self._connections)
                self._connections = []
                self._local = threading.local()
                self._pid = os.getpid()
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _errors(self) -> Iterator[Any]:
        try:
            yield self._conn()
        except self._db_errors() as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise TranslationMemoryError(
                f"translation memory {self.display}: {message}{self._damage_hint(exc)}"
            ) from exc

    def _damage_hint(self, exc: BaseException) -> str:
        """The fix to add when ``exc`` says the memory is damaged ("" when it does not)."""
        return ""

    def _fetch_all(
        self, conn: Any, table: str, column: str, keys: Mapping[str, str]
    ) -> Iterator[tuple[str, str]]:
        ordered = list(keys)
        for start in range(0, len(ordered), self.lookup_batch):
            part = ordered[start : start + self.lookup_batch]
            rows: list[tuple[str, str]] = self._retry(
                functools.partial(self._fetch, conn, table, column, part)
            )
            yield from rows

    def _write_rows(self, conn: Any, *statements: tuple[str, list[tuple[Any, ...]]]) -> None:
        """One transaction of ``executemany`` calls; all of it is written or none of it."""

        def write() -> None:
            with self._write(conn) as cur:
                for sql, rows in statements:
                    if rows:
                        cur.executemany(sql, rows)

        self._retry(write)

    def _has_approvals(self, conn: Any, source: str, target: str) -> bool:
        """Whether any approved translation exists for the pair (most memories have none)."""
        p = self.param
        sql = (
            "SELECT EXISTS (SELECT 1 FROM tm_approved "
            f"WHERE source_lang = {p} AND target_lang = {p})"
        )
        return bool(self._retry(lambda: conn.execute(sql, (source, target)).fetchone()[0]))

    def _storable(self, *texts: str | None) -> bool:
        """Text the database can hold: valid UTF-8 (no lone surrogates), no NUL where refused."""
        for text in texts:
            if text is None:
                continue
            if self.rejects_nul and "\x00" in text:
                return False
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return False
        return True

    def _retry(self, action: Callable[[], T]) -> T:
        """Run ``action`` again, after a short random pause, while the database says "busy".

        The busy timeout makes SQLite wait for a lock; it does not wait where waiting could
        deadlock (and PostgreSQL breaks deadlocks by failing one side), so those come here.
        """
        deadline = time.monotonic() + RETRY_SECONDS
        pause = 0.01
        while True:
            try:
                return action()
            except self._db_errors() as exc:
                if not self._is_busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause * (1 + random.random()))
            pause = min(pause * 2, 0.5)

    def _pair_filter(
        self, alias: str, source: str | None, target: str | None
    ) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        for column, value in (("source_lang", source), ("target_lang", target)):
            if value:
                where.append(f"{alias}.{column} = {self.param}")
                params.append(value)
        return where, params


def check_version(display: str, cur: Any, sql: str) -> None:
    """Refuse a memory written by another schema version, whose tables this one would misread."""
    cur.execute(sql, ("schema_version",))
    row = cur.fetchone()
    found = row[0] if row else None
    if found != SCHEMA_VERSION:
        raise TranslationMemoryError(
            f"translation memory {display} has schema version {found}, this l10n reads "
            f"{SCHEMA_VERSION} — use the l10n version that wrote it, or a new memory"
        )
