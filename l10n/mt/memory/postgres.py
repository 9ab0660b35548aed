"""The translation memory on a PostgreSQL server, for a team or a cluster of workers.

Needs psycopg 3 (``pip install 'l10n[postgres]'``). The tables are created on first use,
under an advisory lock so that workers starting together do not race; writes insert in key
order so concurrent batches never deadlock. PostgreSQL text cannot hold U+0000: a segment
containing one is not stored (it is translated again next time), never an error.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from l10n.mt.memory.base import (
    SCHEMA_VERSION,
    SCORE_TABLE,
    TABLES,
    TranslationMemory,
    check_version,
)
from l10n.mt.memory.records import TranslationMemoryError

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS tm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS tm_engine (id TEXT PRIMARY KEY, engine TEXT NOT NULL, "
    "spec TEXT NOT NULL, pseudo BOOLEAN NOT NULL)",
    "CREATE TABLE IF NOT EXISTS tm_mt (key TEXT PRIMARY KEY, source_lang TEXT NOT NULL, "
    "target_lang TEXT NOT NULL, source_text TEXT NOT NULL, mt_text TEXT NOT NULL, "
    "engine_id TEXT NOT NULL, run_id TEXT, created TIMESTAMPTZ NOT NULL)",
    "CREATE TABLE IF NOT EXISTS tm_approved (key TEXT PRIMARY KEY, source_lang TEXT NOT NULL, "
    "target_lang TEXT NOT NULL, source_text TEXT NOT NULL, target_text TEXT NOT NULL, "
    "reviewer TEXT NOT NULL, approved_at TIMESTAMPTZ NOT NULL, run_id TEXT, article_id TEXT, "
    "segment INTEGER)",
)
# Any fixed number: the advisory lock that serialises creating the tables.
SCHEMA_LOCK = 0x6C31306E746D


def redact(url: str) -> str:
    """The URL without its password, fit for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


class PostgresMemory(TranslationMemory):
    backend = "postgresql"
    param = "%s"
    lookup_batch = 5000
    rejects_nul = True

    def __init__(self, url: str, *, create: bool = True, connect_timeout: int = 10) -> None:
        try:
            import psycopg  # noqa: F401 - only to fail early with the fix in the message
        except ImportError as exc:
            raise TranslationMemoryError(
                "a PostgreSQL translation memory needs psycopg — install l10n with its "
                "postgres extra: pip install 'l10n[postgres]'"
            ) from exc
        self.connect_timeout = connect_timeout
        super().__init__(location=url, display=redact(url))
        try:
            self._setup(create)
        except BaseException:
            self.close()
            raise

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(
                self.location,
                autocommit=True,
                connect_timeout=self.connect_timeout,
                application_name="l10n",
            )
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise TranslationMemoryError(
                f"cannot connect to the translation memory {self.display}: {reason} — check "
                "the URL, that the server is running and that it accepts this user"
            ) from exc

    def _setup(self, create: bool) -> None:
        with self._errors() as conn:
            if not _has_schema(conn):
                if not create:
                    raise TranslationMemoryError(
                        f"no translation memory in {self.display} — check the database name, "
                        "or run a translation with --tm pointing at it first"
                    )
                with self._write(conn) as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                    for statement in SCHEMA:
                        cur.execute(statement)
                    cur.execute(
                        "INSERT INTO tm_meta (name, value) VALUES ('schema_version', %s) "
                        "ON CONFLICT (name) DO NOTHING",
                        (SCHEMA_VERSION,),
                    )
            check_version(self.display, conn.cursor(), "SELECT value FROM tm_meta WHERE name = %s")
            if not _has_table(conn, "tm_score"):
                # Under the same lock: two workers creating a missing table at once make
                # PostgreSQL refuse one (a duplicate key in pg_type), IF NOT EXISTS or not.
                with self._write(conn) as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                    cur.execute(SCORE_TABLE.replace("REAL", "DOUBLE PRECISION"))

    @contextmanager
    def _write(self, conn: Any) -> Iterator[Any]:
        with conn.transaction(), conn.cursor() as cur:
            yield cur

    def _fetch(
        self, conn: Any, table: str, column: str, keys: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        sql = f"SELECT key, {column} FROM {table} WHERE key = ANY(%s)"
        rows: list[tuple[Any, ...]] = conn.execute(sql, (list(keys),)).fetchall()
        return rows

    def _rows(self, conn: Any, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        # A server-side cursor streams a large export instead of loading it whole.
        name = f"l10n_tm_{uuid.uuid4().hex[:12]}"  # unique: two streams may interleave
        with conn.transaction(), conn.cursor(name=name) as cur:
            cur.itersize = 2000
            cur.execute(sql, list(params))
            yield from cur

    def _size_bytes(self, conn: Any) -> int | None:
        row = conn.execute(
            "SELECT SUM(pg_total_relation_size(t::regclass)) FROM unnest(%s::text[]) t",
            (list(TABLES),),
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def _db_errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error,)

    def _is_busy(self, exc: BaseException) -> bool:
        from psycopg import errors

        return isinstance(exc, errors.DeadlockDetected | errors.SerializationFailure)


def _has_schema(conn: Any) -> bool:
    return _has_table(conn, "tm_meta")


def _has_table(conn: Any, name: str) -> bool:
    return bool(conn.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0])
