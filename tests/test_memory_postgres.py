"""The translation memory on a real PostgreSQL server that this module starts and stops.

Needs Debian's ``postgresql`` package (initdb, pg_ctl under /usr/lib/postgresql/*/bin, or on
PATH); skipped with the reason when they are missing. The server listens on a free port of
127.0.0.1 with its socket in a temporary folder; as root it runs as the ``postgres`` user,
since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import multiprocessing
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import GLOSSARY
from fake_engine import FakeEngine
from test_memory import FP, WRITERS, _assert_complete, _contents, _fill, _plans, _writer, mt

from l10n.glossary import load_glossary
from l10n.mt.memory import Approval, Hit, TranslationMemoryError, open_memory
from l10n.mt.memory.tmx import export_tmx, import_tmx
from l10n.mt.translate import translate_plans

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (l10n[postgres])")

pytestmark = pytest.mark.slow


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """initdb into a temporary folder, then pg_ctl start on a free port; stop() removes it."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="l10n-pg-"))
        self.data = self.root / "data"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self.port = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        done = self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "l10n", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr}")
        for _ in range(5):  # another process may take the free port first
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            )
            done = self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-t", "60",
                "-o", options, "start",
            )  # fmt: skip
            if done.returncode == 0:
                return
        log = (self.root / "log").read_text(errors="replace")
        raise RuntimeError(f"postgres did not start: {done.stderr}\n{log}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://l10n@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a postgres user: PostgreSQL refuses root")
        if not shutil.which("runuser"):
            pytest.skip("running as root and runuser is missing: PostgreSQL refuses root")
    srv = Server(bin_dir)
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def url(server: Server) -> str:
    """A fresh, empty database for each test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.url(name)


def test_lookup_record_and_approved_preferred(url):
    with open_memory(url) as tm:
        assert tm.backend == "postgresql"
        tm.record([mt("Seoul is calm."), mt("Tokyo is busy."), mt("Tokyo is busy.", "ko")])
        tm.approve([Approval("Seoul is calm.", "en", "ja", "ソウルは平穏だ。", "mika")])
        hits = tm.lookup(["Seoul is calm.", "Tokyo is busy.", "Nara."], "en", "ja", FP)
        assert hits == {
            "Seoul is calm.": Hit("ソウルは平穏だ。", "approved"),
            "Tokyo is busy.": Hit("〔ja〕Tokyo is busy.", "mt"),
        }
        assert tm.lookup(["Seoul is calm."], "en", "ja", FP, approved=False) == {
            "Seoul is calm.": Hit("〔ja〕Seoul is calm.", "mt")
        }
        many = [f"sentence {i}" for i in range(2 * tm.lookup_batch + 3)]
        tm.record(mt(t) for t in many)
        assert len(tm.lookup(many, "en", "ja", FP)) == len(many)
        stats = tm.stats()
        assert (stats.mt, stats.approved) == (3 + len(many), 1)
        assert stats.size_bytes and stats.size_bytes > 0


def test_a_second_run_through_postgres_needs_no_engine(url):
    glossary = load_glossary(GLOSSARY)
    with open_memory(url) as tm:
        first = translate_plans(_plans(), FakeEngine(), glossary, memory=tm)
    engine = FakeEngine()
    with open_memory(url) as tm:
        second = translate_plans(_plans(), engine, glossary, memory=tm)
    assert engine.calls == []
    assert [r.mt for r in first["ports"]["ja"]] == [r.mt for r in second["ports"]["ja"]]


def test_processes_writing_at_once_lose_nothing(url, tmp_path):
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(WRITERS)
    with ProcessPoolExecutor(WRITERS, mp_context=ctx) as pool:
        futures = [pool.submit(_writer, url, w, barrier) for w in range(WRITERS)]
        errors = [e for f in futures for e in f.result()]
    assert errors == []
    _assert_complete(url)


def test_tmx_round_trip_between_postgres_and_sqlite(url, tmp_path):
    with open_memory(url) as tm:
        _fill(tm)
        export_tmx(tm, tmp_path / "pg.tmx")
        expected = _contents(tm)

    def vouched(a):  # approvals come back under the voucher, with their run or the file
        return (*a[:4], "jun", a[5] or "import:pg.tmx", *a[6:])

    with open_memory(tmp_path / "tm.sqlite") as lite:
        import_tmx(lite, tmp_path / "pg.tmx", reviewer="jun", as_approved=True)
        assert _contents(lite)[0] == expected[0]
        assert _contents(lite)[1] == {vouched(a) for a in expected[1]}
        export_tmx(lite, tmp_path / "lite.tmx")
    with open_memory(url) as tm:
        result = import_tmx(tm, tmp_path / "lite.tmx", reviewer="jun", as_approved=True)
        assert (result.approved, result.mt) == (2, 3)
        again = _contents(tm)
        assert again[0] == expected[0]  # the same raw MT again: nothing doubles
        assert len(again[1]) == len(expected[1])  # one approval per key, the newer kept


def test_text_postgres_cannot_hold_is_skipped_not_fatal(url):
    with open_memory(url) as tm:
        tm.record([mt("nul\x00byte"), mt("plain")])
        tm.approve([Approval("nul\x00", "en", "ja", "x", "mika")])
        assert set(tm.lookup(["nul\x00byte", "plain"], "en", "ja", FP)) == {"plain"}
        assert tm.stats().approved == 0


def test_reading_an_empty_database_does_not_create_tables(url):
    with pytest.raises(TranslationMemoryError, match="no translation memory in"):
        open_memory(url, create=False)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('tm_mt')").fetchone()[0] is None


def test_an_unreachable_server_is_named_without_its_password():
    port = _free_port()  # nothing listens there
    with pytest.raises(TranslationMemoryError) as caught:
        open_memory(f"postgresql://desk:s3cret@127.0.0.1:{port}/tm")
    message = str(caught.value)
    assert "cannot connect to the translation memory" in message
    assert f"postgresql://desk:***@127.0.0.1:{port}/tm" in message
    assert "s3cret" not in message


# -- the model's scores (tm_score) ----------------------------------------------------------


class ScoredFake(FakeEngine):
    """The fake engine with a score per text, as a CTranslate2 model gives one."""

    def translate_scored(self, texts, source, target):
        return [
            (t, -len(s) / 7)
            for t, s in zip(self.translate_batch(texts, source, target), texts, strict=True)
        ]


def test_scores_are_stored_and_found_with_their_mt(url):
    from l10n.mt.memory.base import WRITE_BATCH

    many = [f"scored sentence {i}" for i in range(WRITE_BATCH + 7)]  # two write batches
    with open_memory(url) as tm:
        tm.record([mt("Seoul is calm.", score=-0.123456789012), mt("Tokyo is busy.")])
        tm.record(mt(t, score=-i / 1000) for i, t in enumerate(many))
        # A key already stored keeps its first MT and score.
        tm.record([mt("Seoul is calm.", score=-9.0)])
        hits = tm.lookup(["Seoul is calm.", "Tokyo is busy."], "en", "ja", FP)
        assert hits["Seoul is calm."] == Hit("〔ja〕Seoul is calm.", "mt", -0.123456789012)
        assert hits["Tokyo is busy."].score is None
        found = tm.lookup(many, "en", "ja", FP)
        assert [found[t].score for t in many] == [-i / 1000 for i in range(len(many))]
    with psycopg.connect(url) as conn:
        kind = conn.execute(
            "SELECT data_type FROM information_schema.columns "
            "WHERE table_name = 'tm_score' AND column_name = 'score'"
        ).fetchone()
        count = conn.execute("SELECT count(*) FROM tm_score").fetchone()
    assert kind == ("double precision",) and count == (len(many) + 1,)


def test_a_memory_from_before_scores_gains_the_table_when_opened(url):
    with open_memory(url) as tm:
        tm.record([mt("Nara is old.")])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE tm_score")  # as an l10n without scores left it
    with open_memory(url, create=False) as tm:
        assert tm.lookup(["Nara is old."], "en", "ja", FP)["Nara is old."].score is None
        tm.record([mt("Busan is by the sea.", score=-1.5)])
        hit = tm.lookup(["Busan is by the sea."], "en", "ja", FP)["Busan is by the sea."]
        assert hit.score == -1.5


def _open_and_score(url: str, worker: int, barrier) -> str:
    try:
        barrier.wait()
        with open_memory(url) as tm:
            tm.record([mt(f"worker {worker} says hello", score=-float(worker))])
        return ""
    except Exception as exc:  # reported to the test, which names it
        return f"{type(exc).__name__}: {exc}"


def test_workers_opening_an_older_memory_at_once_all_get_the_score_table(url):
    with open_memory(url) as tm:
        tm.record([mt("Nara is old.")])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE tm_score")
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(WRITERS)
    with ProcessPoolExecutor(WRITERS, mp_context=ctx) as pool:
        errors = [
            f.result()
            for f in [pool.submit(_open_and_score, url, w, barrier) for w in range(WRITERS)]
        ]
    assert [e for e in errors if e] == []
    with open_memory(url) as tm:
        texts = [f"worker {w} says hello" for w in range(WRITERS)]
        assert [tm.lookup(texts, "en", "ja", FP)[t].score for t in texts] == [
            -float(w) for w in range(WRITERS)
        ]


def test_a_second_run_through_postgres_keeps_the_scores(url):
    glossary = load_glossary(GLOSSARY)
    with open_memory(url) as tm:
        first = translate_plans(_plans(), ScoredFake(), glossary, memory=tm)
    engine = ScoredFake()
    with open_memory(url) as tm:
        second = translate_plans(_plans(), engine, glossary, memory=tm)
    assert engine.calls == []
    scores = [r.score for r in first["ports"]["ja"]]
    assert scores and all(s is not None and s < 0 for s in scores)
    assert [r.score for r in second["ports"]["ja"]] == scores
