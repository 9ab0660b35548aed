"""The translation memory in SQLite: lookups, approved translations, concurrency, TMX, locations."""

from __future__ import annotations

import multiprocessing
import pickle
import sqlite3
import threading
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import GLOSSARY
from fake_engine import FakeEngine
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.articles.read import article_from_text
from l10n.glossary import load_glossary
from l10n.models import LanguageGuess
from l10n.mt.memory import (
    Approval,
    Hit,
    MTEntry,
    TranslationMemoryError,
    open_memory,
    translation_key,
)
from l10n.mt.memory.records import approval_key, approval_keys, translation_keys
from l10n.mt.memory.tmx import export_tmx, import_tmx
from l10n.mt.translate import prepare_translation, translate_plans
from l10n.text.plan import plan_article

FP = {"engine": "fake", "packages": [{"name": "fake-en_ja", "version": "1"}], "options": {}}
OTHER_FP = {**FP, "options": {"beam_size": 4}}


@pytest.fixture
def memory(tmp_path):
    with open_memory(tmp_path / "tm.sqlite") as tm:
        yield tm


def mt(text: str, target: str = "ja", fingerprint=FP, **kw) -> MTEntry:
    return MTEntry(text, "en", target, fingerprint, f"〔{target}〕{text}", **kw)


# -- lookup and record ----------------------------------------------------------------------


def test_recorded_mt_is_found_by_text_pair_and_engine(memory):
    memory.record([mt("Seoul is calm."), mt("Tokyo is busy."), mt("Tokyo is busy.", "ko")])
    hits = memory.lookup(["Seoul is calm.", "Tokyo is busy.", "Nara is old."], "en", "ja", FP)
    assert hits == {
        "Seoul is calm.": Hit("〔ja〕Seoul is calm.", "mt"),
        "Tokyo is busy.": Hit("〔ja〕Tokyo is busy.", "mt"),
    }
    assert memory.lookup(["Tokyo is busy."], "en", "ko", FP) == {
        "Tokyo is busy.": Hit("〔ko〕Tokyo is busy.", "mt")
    }
    assert memory.lookup(["Tokyo is busy."], "en", "ja", OTHER_FP) == {}
    assert memory.lookup(["Tokyo is busy."], "fr", "ja", FP) == {}


def test_keys_are_those_of_the_per_file_cache():
    # Computed with the per-file cache's translation_key before the memory moved to a database.
    fingerprint = {
        "engine": "argos",
        "packages": [{"name": "translate-en_ja", "version": "1.1", "sha256": "ab"}],
        "options": {"beam_size": 2},
    }
    key = translation_key("Tokyo and Seoul signed the deal.", "en", "ja", fingerprint)
    assert key == "abffec48933edc1d0262cbf57dfd338095bc617b5ebfd424d11342fc77839d7c"


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(), max_size=5),
    source=st.text(max_size=4),
    options=st.dictionaries(st.text(max_size=5), st.integers() | st.text() | st.none()),
)
def test_bulk_keys_equal_one_by_one_keys(texts, source, options):
    fingerprint = {**FP, "options": options}
    assert translation_keys(texts, source, "ja", fingerprint) == [
        translation_key(t, source, "ja", fingerprint) for t in texts
    ]
    assert approval_keys(texts, source, "ko") == [approval_key(t, source, "ko") for t in texts]


def test_text_the_database_cannot_encode_is_skipped_not_fatal(memory):
    broken = "half a pair \ud800 of surrogates"
    assert memory.record([mt(broken), mt("fine")]) == 1
    assert memory.approve([Approval(broken, "en", "ja", "x", "mika")]) == 0
    assert set(memory.lookup([broken, "fine"], "en", "ja", FP)) == {"fine"}


def test_a_stored_mt_is_kept_when_recorded_again(memory):
    memory.record([mt("Seoul is calm.")])
    memory.record([MTEntry("Seoul is calm.", "en", "ja", FP, "different")])
    assert memory.lookup(["Seoul is calm."], "en", "ja", FP)["Seoul is calm."].text == (
        "〔ja〕Seoul is calm."
    )
    assert memory.stats().mt == 1


def test_lookups_larger_than_one_query_batch(memory):
    texts = [f"Sentence number {i} about the ports." for i in range(2 * memory.lookup_batch + 7)]
    memory.record(mt(t) for t in texts[::2])
    hits = memory.lookup(texts, "en", "ja", FP)
    assert set(hits) == set(texts[::2])
    assert all(hits[t].text == f"〔ja〕{t}" for t in hits)


def test_text_is_stored_exactly(memory):
    odd = [
        "  leading and trailing  ",
        "tab\there",
        "nul\x00byte",
        "emoji 🗾 and 한국어",
        "a" * 20000,
    ]
    memory.record(mt(t) for t in odd)
    hits = memory.lookup(odd, "en", "ja", FP)
    assert {t: h.text for t, h in hits.items()} == {t: f"〔ja〕{t}" for t in odd}


# -- approved translations ------------------------------------------------------------------


def test_approved_translation_is_preferred_over_mt_whatever_the_engine(memory):
    memory.record([mt("Seoul is calm."), mt("Tokyo is busy.")])
    memory.approve([Approval("Seoul is calm.", "en", "ja", "ソウルは平穏だ。", "mika")])
    hits = memory.lookup(["Seoul is calm.", "Tokyo is busy."], "en", "ja", OTHER_FP)
    assert hits == {"Seoul is calm.": Hit("ソウルは平穏だ。", "approved")}
    hits = memory.lookup(["Seoul is calm.", "Tokyo is busy."], "en", "ja", FP)
    assert hits["Seoul is calm."] == Hit("ソウルは平穏だ。", "approved")
    assert hits["Tokyo is busy."].origin == "mt"
    assert memory.lookup(["Seoul is calm."], "en", "ko", FP) == {}
    raw_only = memory.lookup(["Seoul is calm."], "en", "ja", FP, approved=False)
    assert raw_only == {"Seoul is calm.": Hit("〔ja〕Seoul is calm.", "mt")}


def test_the_latest_approval_wins(memory):
    now = datetime.now(UTC)
    memory.approve([Approval("Nara is old.", "en", "ja", "新しい訳", "mika", approved_at=now)])
    older = now - timedelta(days=3)
    memory.approve([Approval("Nara is old.", "en", "ja", "古い訳", "jun", approved_at=older)])
    assert memory.lookup(["Nara is old."], "en", "ja", FP)["Nara is old."].text == "新しい訳"
    newer = now + timedelta(minutes=1)
    memory.approve([Approval("Nara is old.", "en", "ja", "奈良は古い。", "jun", approved_at=newer)])
    [stored] = memory.iter_approved()
    assert (stored.target_text, stored.reviewer) == ("奈良は古い。", "jun")
    assert memory.stats().approved == 1


# -- the translate stage --------------------------------------------------------------------


def _plans():
    article = article_from_text(
        "Ports deal",
        "Officials from Tokyo and Seoul signed an agreement on Monday.\n\nThe deal takes effect "
        "in March.",
        id="ports",
    )
    return [plan_article(article, LanguageGuess("en", 0.99), ["ja"])]


class PlaceholderEngine(FakeEngine):
    carries_placeholders = True


@pytest.mark.parametrize("engine_class", [FakeEngine, PlaceholderEngine])
def test_translate_stage_takes_approved_text_and_labels_it(memory, engine_class):
    glossary = load_glossary(GLOSSARY)
    [plan] = _plans()
    first = plan.segments[1].text
    memory.approve([Approval(first, "en", "ja", "東京とソウルの当局者が合意に署名した。", "mika")])
    engine = engine_class()
    results = translate_plans(_plans(), engine, glossary, memory=memory)
    rows = results["ports"]["ja"]
    assert rows[1].mt == "東京とソウルの当局者が合意に署名した。"
    assert rows[1].origin == "approved" and rows[1].protection is None
    assert {r.origin for i, r in enumerate(rows) if i != 1} == {"mt"}
    sent = [t for _, _, texts in engine.calls for t in texts]
    assert len(sent) == len(rows) - 1 and not any("Officials" in t for t in sent)

    again = FakeEngine() if engine_class is FakeEngine else PlaceholderEngine()
    work = prepare_translation(_plans(), again, glossary, memory=memory)
    assert work.chunks == [] and work.approved == 1
    assert sum(len(k) for k in work.known.values()) == len(rows) - 1


def test_pseudo_localization_ignores_approved_text(memory):
    class Pseudo(FakeEngine):
        is_pseudo = True

    [plan] = _plans()
    memory.approve([Approval(plan.segments[1].text, "en", "ja", "承認済み", "mika")])
    results = translate_plans(_plans(), Pseudo(), load_glossary(GLOSSARY), memory=memory)
    assert all(r.origin == "mt" and r.mt != "承認済み" for r in results["ports"]["ja"])


# -- concurrency ----------------------------------------------------------------------------

WRITERS = 4
PER_WRITER = 600


def _writer(path: str, worker: int, barrier) -> list[str]:
    """Record this worker's own texts and the shared ones, in engine-sized batches."""
    errors = []
    try:
        barrier.wait()
        with open_memory(path) as tm:
            own = [mt(f"worker {worker} sentence {i}") for i in range(PER_WRITER)]
            shared = [mt(f"shared sentence {i}") for i in range(PER_WRITER)]
            for start in range(0, PER_WRITER, 64):
                tm.record(own[start : start + 64] + shared[start : start + 64])
                tm.approve(
                    [
                        Approval(
                            f"shared sentence {start}", "en", "ja", f"承認 {start}", f"r{worker}"
                        )
                    ]
                )
                tm.lookup([e.source_text for e in shared[:start]], "en", "ja", FP)
    except Exception as exc:  # reported to the test, which fails on any
        errors.append(f"{type(exc).__name__}: {exc}")
    return errors


def _assert_complete(path: Path) -> None:
    with open_memory(path) as tm:
        stored = {e.source_text: e.mt for e in tm.iter_mt()}
        approved = {a.source_text: a.target_text for a in tm.iter_approved()}
    expected = {f"worker {w} sentence {i}" for w in range(WRITERS) for i in range(PER_WRITER)}
    expected |= {f"shared sentence {i}" for i in range(PER_WRITER)}
    assert set(stored) == expected
    assert all(stored[t] == f"〔ja〕{t}" for t in stored)  # no torn or swapped rows
    assert approved == {f"shared sentence {s}": f"承認 {s}" for s in range(0, PER_WRITER, 64)}


def test_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "fresh" / "tm.sqlite"  # created by the racing workers themselves
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(WRITERS)
    with ProcessPoolExecutor(WRITERS, mp_context=ctx) as pool:
        futures = [pool.submit(_writer, str(path), w, barrier) for w in range(WRITERS)]
        errors = [e for f in futures for e in f.result()]
    assert errors == []
    _assert_complete(path)


def _open_and_write(path: str, barrier) -> str | None:
    barrier.wait()
    try:
        with open_memory(path) as tm:
            tm.record([mt("first words")])
    except Exception as exc:  # reported to the test, which fails on any
        return f"{type(exc).__name__}: {exc}"
    return None


def test_processes_creating_a_new_memory_together_all_succeed(tmp_path):
    # Switching a new file to WAL is where SQLite answers "locked" without waiting.
    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager, ctx.Pool(8) as pool:
        errors = []
        for round_ in range(40):
            path = str(tmp_path / f"tm-{round_}.sqlite")
            barrier = manager.Barrier(8)
            errors += [e for e in pool.starmap(_open_and_write, [(path, barrier)] * 8) if e]
    assert errors == []


def test_threads_sharing_one_memory_lose_nothing(tmp_path):
    path = tmp_path / "tm.sqlite"
    barrier = threading.Barrier(WRITERS)
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda w=w: results.append(_writer(str(path), w, barrier)))
        for w in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [e for r in results for e in r] == []
    _assert_complete(path)


def _record_with(tm, texts: list[str]) -> int:
    return tm.record(mt(t) for t in texts)


def test_a_memory_sent_to_a_worker_process_reopens_there(memory):
    memory.record([mt("from the parent")])
    clone = pickle.loads(pickle.dumps(memory))
    assert clone.location == memory.location and clone is not memory
    clone.close()
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        sent = list(pool.map(_record_with, [memory, memory], [["from w1"], ["from w2"]]))
    assert sent == [1, 1]
    hits = memory.lookup(["from the parent", "from w1", "from w2"], "en", "ja", FP)
    assert set(hits) == {"from the parent", "from w1", "from w2"}


def test_a_forked_child_opens_its_own_connection(memory):
    memory.record([mt("before the fork")])
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=lambda: memory.record([mt("in the child")]))
    child.start()
    child.join()
    assert child.exitcode == 0
    assert len(memory.lookup(["before the fork", "in the child"], "en", "ja", FP)) == 2


def test_a_writer_waits_for_a_long_transaction_instead_of_failing(tmp_path):
    path = tmp_path / "tm.sqlite"
    open_memory(path).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    done = threading.Event()

    def write() -> None:
        with open_memory(path) as tm:
            tm.record([mt("waited")])
        done.set()

    thread = threading.Thread(target=write)
    thread.start()
    assert not done.wait(0.5)  # blocked by the other writer, not failed
    blocker.execute("COMMIT")
    thread.join(30)
    assert done.is_set()
    blocker.close()
    with open_memory(path) as tm:
        assert "waited" in tm.lookup(["waited"], "en", "ja", FP)


# -- TMX ------------------------------------------------------------------------------------


def _fill(tm) -> None:
    stamp = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    tm.record(
        [
            mt("Seoul is calm.", created=stamp, run_id="run-1"),
            mt("Seoul is calm.", "ko", created=stamp),
            mt('Tokyo & <Osaka> "agree".', fingerprint=OTHER_FP, created=stamp),
            MTEntry("Pseudo text.", "en", "ja", {"engine": "pseudo"}, "[Ƥşeuđo]", pseudo=True),
        ]
    )
    tm.approve(
        [
            Approval("Nara is old.", "en", "ja", "奈良は古い。", "mika", "run-1", "nara", 3, stamp),
            Approval("Nara is old.", "en", "ko", "나라는 오래되었다.", "jun", approved_at=stamp),
        ]
    )


def _contents(tm) -> tuple[set, set]:
    mts = {
        (e.source_text, e.source, e.target, str(sorted(e.fingerprint.items())), e.mt, e.run_id,
         e.created)
        for e in tm.iter_mt()
    }  # fmt: skip
    approvals = {
        (a.source_text, a.source, a.target, a.target_text, a.reviewer, a.run_id, a.article_id,
         a.segment, a.approved_at)
        for a in tm.iter_approved()
    }  # fmt: skip
    return mts, approvals


def test_tmx_round_trip_restores_every_row_and_key(memory, tmp_path):
    _fill(memory)
    dest = tmp_path / "export" / "tm.tmx"
    result = export_tmx(memory, dest)
    assert (result.approved, result.mt) == (2, 3)  # the pseudo row stays out
    text = dest.read_text("utf-8")
    assert "Pseudo" not in text and "&amp; &lt;Osaka&gt;" in text
    with open_memory(tmp_path / "copy.sqlite") as copy:
        imported = import_tmx(copy, dest, reviewer="jun", as_approved=True)
        assert (imported.approved, imported.mt, sum(imported.skipped.values())) == (2, 3, 0)
        assert _contents(copy)[0] == _contents(memory)[0]  # raw MT exactly as it was

        def vouched(a):  # approvals: stored under the voucher, with the run or the file
            return (*a[:4], "jun", a[5] or "import:tm.tmx", *a[6:])

        assert _contents(copy)[1] == {vouched(a) for a in _contents(memory)[1]}
        hits = copy.lookup(["Seoul is calm.", "Nara is old."], "en", "ja", FP)
        assert hits == {
            "Seoul is calm.": Hit("〔ja〕Seoul is calm.", "mt"),
            "Nara is old.": Hit("奈良は古い。", "approved"),
        }


def test_tmx_export_of_one_pair_and_origin(memory, tmp_path):
    _fill(memory)
    result = export_tmx(memory, tmp_path / "ko.tmx", source="en", target="ko", include=["mt"])
    assert (result.approved, result.mt) == (0, 1)
    text = (tmp_path / "ko.tmx").read_text("utf-8")
    assert "〔ko〕Seoul is calm." in text and "奈良" not in text and 'srclang="en"' in text


def test_a_tmx_export_that_fails_midway_leaves_the_old_file(memory, tmp_path, monkeypatch):
    _fill(memory)
    dest = tmp_path / "memory.tmx"
    dest.write_text("the export of yesterday", "utf-8")

    def broken(*args, **kwargs):
        yield from ()
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(memory, "iter_mt", broken)
    with pytest.raises(OSError):
        export_tmx(memory, dest)
    assert dest.read_text("utf-8") == "the export of yesterday"
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header creationtool="OtherCAT" creationtoolversion="2" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="en-US" datatype="plaintext"/>
  <body>
    <tu changedate="20250102T030405Z">
      <tuv xml:lang="en-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept> \
now.</seg></tuv>
      <tuv xml:lang="ja-JP"><seg>今すぐ<hi>ここ</hi>を押す。</seg></tuv>
      <tuv xml:lang="ko-KR"><seg>지금 여기를 누르세요.</seg></tuv>
    </tu>
    <tu srclang="*all*">
      <tuv xml:lang="en"><seg>No source language.</seg></tuv>
      <tuv xml:lang="ja"><seg>原文の言語なし。</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_foreign_tmx_needs_a_reviewer_to_count_as_approved(memory, tmp_path):
    path = tmp_path / "foreign.tmx"
    path.write_text(FOREIGN, "utf-8")
    result = import_tmx(memory, path)
    assert (result.approved, result.mt) == (0, 0)
    assert result.skipped["no source language (srclang)"] == 1  # the tu with srclang="*all*"
    assert any("give --as-approved --reviewer" in reason for reason in result.skipped)
    assert any(p.startswith(f"{path}:6:") for p in result.problems)
    assert import_tmx(memory, path, reviewer="desk-lead").approved == 0  # no as_approved

    result = import_tmx(memory, path, reviewer="desk-lead", as_approved=True)
    assert result.approved == 2
    hits = memory.lookup(["Press here now."], "en", "ja", FP)
    assert hits == {"Press here now.": Hit("今すぐここを押す。", "approved")}
    [ja] = [a for a in memory.iter_approved() if a.target == "ja"]
    assert ja.reviewer == "desk-lead"
    assert ja.approved_at == datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_tu_without_any_source_language_is_skipped_with_its_line(memory, tmp_path):
    path = tmp_path / "all.tmx"
    path.write_text(FOREIGN.replace('srclang="en-US"', 'srclang="*all*"'), "utf-8")
    result = import_tmx(memory, path, reviewer="desk-lead", as_approved=True)
    assert result.approved == 0
    assert result.skipped["no source language (srclang)"] == 2
    assert result.problems[0].startswith(f"{path}:6: no source language")


def test_malformed_tmx_imports_nothing_and_names_the_line(memory, tmp_path):
    path = tmp_path / "broken.tmx"
    good = FOREIGN.replace("</body>", "<tu><tuv xml:lang='en'><seg>cut</tuv></tu></body>")
    path.write_text(good, "utf-8")
    with pytest.raises(TranslationMemoryError, match=r"broken\.tmx:\d+: not well-formed XML"):
        import_tmx(memory, path, reviewer="desk-lead", as_approved=True)
    assert memory.stats().approved == 0


def test_not_a_tmx_file_is_refused(memory, tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<xliff><file/></xliff>", "utf-8")
    with pytest.raises(TranslationMemoryError, match=r"other\.xml:1: the root element is <xliff>"):
        import_tmx(memory, path)


def test_tmx_entities_are_not_expanded(memory, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    hostile = FOREIGN.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>',
    ).replace("지금 여기를 누르세요.", "&x;")
    path = tmp_path / "hostile.tmx"
    path.write_text(hostile, "utf-8")
    import_tmx(memory, path, reviewer="desk-lead", as_approved=True)
    assert not any("TOP-SECRET" in a.target_text for a in memory.iter_approved())


# -- locations ------------------------------------------------------------------------------


@pytest.mark.parametrize("location", ["s3://bucket/tm", "ftp://host/tm.sqlite", "", "sqlite://"])
def test_unusable_locations_name_the_accepted_forms(location):
    with pytest.raises(TranslationMemoryError) as caught:
        open_memory(location)
    message = str(caught.value)
    assert "sqlite:///PATH" in message and "postgresql://" in message


def test_sqlite_url_and_plain_path_open_the_same_file(tmp_path):
    path = tmp_path / "sub" / "tm.sqlite"
    with open_memory(f"sqlite://{path}") as tm:
        tm.record([mt("Seoul is calm.")])
    with open_memory(str(path)) as tm:
        assert tm.lookup(["Seoul is calm."], "en", "ja", FP)


def test_a_folder_is_refused_with_the_fix(tmp_path):
    with pytest.raises(TranslationMemoryError, match="is a folder — give a file"):
        open_memory(tmp_path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("meeting notes, not a database\n" * 100, "utf-8")
    with pytest.raises(TranslationMemoryError, match="is not a translation memory"):
        open_memory(path)


def test_another_sqlite_database_is_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE flows (id INTEGER)")
    with pytest.raises(TranslationMemoryError, match="database of something else"):
        open_memory(path)
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert tables == {"flows"}


def test_a_missing_memory_is_not_created_when_only_reading(tmp_path):
    with pytest.raises(TranslationMemoryError, match="no translation memory at"):
        open_memory(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()


def test_a_memory_of_another_schema_version_is_refused(tmp_path):
    path = tmp_path / "tm.sqlite"
    open_memory(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE tm_meta SET value = '99' WHERE name = 'schema_version'")
    with pytest.raises(TranslationMemoryError, match="schema version 99"):
        open_memory(path)


def test_the_file_is_in_wal_mode(tmp_path):
    path = tmp_path / "tm.sqlite"
    open_memory(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_closed_memory_says_so(tmp_path):
    tm = open_memory(tmp_path / "tm.sqlite")
    tm.close()
    with pytest.raises(TranslationMemoryError, match="is closed"):
        tm.lookup(["x"], "en", "ja", FP)


def test_stats_count_per_pair_and_engine(memory):
    _fill(memory)
    stats = memory.stats()
    assert (stats.mt, stats.approved, stats.backend) == (4, 2, "sqlite")
    pairs = {(p.source, p.target): (p.mt, p.approved) for p in stats.pairs}
    assert pairs == {("en", "ja"): (3, 1), ("en", "ko"): (1, 1)}
    engines = sorted((e.engine, e.pseudo, e.segments) for e in stats.engines)
    assert engines == [("fake", False, 1), ("fake", False, 2), ("pseudo", True, 1)]
    assert stats.size_bytes and stats.size_bytes > 0
