"""The pipeline's stages wired together without Prefect, on a deterministic fake engine."""

from __future__ import annotations

import json
from typing import ClassVar

import pytest
from conftest import GLOSSARY
from fake_engine import FakeEngine

from l10n.articles.read import article_from_text
from l10n.correct.stage import correct_article
from l10n.glossary import load_glossary
from l10n.models import EngineIdentity, LanguageGuess, TranslatedArticle
from l10n.mt.memory import open_memory
from l10n.mt.translate import prepare_translation, translate_plans
from l10n.run.codec import join_paragraphs
from l10n.run.store import Run, RunContext, article_fingerprint
from l10n.text.plan import plan_article

EN = LanguageGuess("en", 0.99)


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


def _plans():
    first = article_from_text(
        "Takaichi meets Lee",
        "Sanae Takaichi met Lee Jae Myung in Nara.\n\nThey spoke for two hours. Tokyo and "
        "Seoul welcomed the talks.",
        id="first",
    )
    second = article_from_text(
        "Short note", "Lee Jae Myung flew back to Seoul on Sunday.", id="second"
    )
    korean = article_from_text("서울 소식", "이재명 대통령은 도쿄를 방문했다.", id="korean")
    return [
        plan_article(first, EN, ["ja", "ko"]),
        plan_article(second, EN, ["ja", "ko"]),
        plan_article(korean, LanguageGuess("ko", 0.99), ["ja", "ko"]),
    ]


def test_segments_of_all_articles_share_length_sorted_batches(glossary):
    engine = FakeEngine()
    translate_plans(_plans(), engine, glossary, chunk_size=3)
    en_ja = [texts for source, target, texts in engine.calls if (source, target) == ("en", "ja")]
    sent = [text for texts in en_ja for text in texts]
    assert sent == sorted(sent, key=lambda t: (len(t), t))
    assert any("Sunday" in t for t in en_ja[-1] + en_ja[-2])  # second article mixed in
    assert all(len(texts) <= 3 for texts in en_ja)


def test_chunks_follow_the_engines_size(glossary):
    """64 segments a chunk by default; an engine says otherwise (None: one chunk a pair)."""
    from l10n.mt.engines.pseudo import PseudoEngine

    many = article_from_text("Many", " ".join(f"Item {i} was sold." for i in range(150)), id="m")
    plans = [plan_article(many, EN, ["ja"])]
    assert len(plans[0].segments) > 130

    def sizes(engine):
        work = prepare_translation(plans, engine, glossary)
        return [len(chunk.texts) for chunk in work.chunks]

    by_default = sizes(FakeEngine())
    assert len(by_default) == 3 and max(by_default) == 64

    class Big(FakeEngine):
        chunk_segments = 100

    assert sizes(Big()) == [100, sum(by_default) - 100]
    assert sizes(PseudoEngine()) == [sum(by_default)]


def test_copied_target_is_not_sent_and_other_pairs_are(glossary):
    engine = FakeEngine()
    results = translate_plans(_plans(), engine, glossary)
    pairs = {(s, t) for s, t, _ in engine.calls}
    assert pairs == {("en", "ja"), ("en", "ko"), ("ko", "ja")}
    korean = results["korean"]["ko"]
    assert [row.mt for row in korean] == ["서울 소식", "이재명 대통령은 도쿄를 방문했다."]


def test_memory_answers_a_second_run_without_the_engine(glossary, tmp_path):
    location = tmp_path / "tm.sqlite"
    with open_memory(location) as memory:
        first = translate_plans(_plans(), FakeEngine(), glossary, memory=memory)
    engine = FakeEngine()
    with open_memory(location) as memory:
        work = prepare_translation(_plans(), engine, glossary, memory=memory)
        assert work.chunks == []
        second = translate_plans(_plans(), engine, glossary, memory=memory)
    assert engine.calls == []
    assert _mt_texts(first) == _mt_texts(second)


def _mt_texts(results):
    return {
        art: {lang: [r.mt for r in rows] for lang, rows in d.items()} for art, d in results.items()
    }


def test_glossary_corrects_fake_mt_and_keeps_the_raw_version(glossary):
    plans = _plans()
    results = translate_plans(plans, FakeEngine(), glossary)
    corrected = correct_article(plans[0], results["first"], glossary)
    sentence = corrected["ja"][1]
    assert "タカイチ・サナエ" in sentence.mt
    assert "高市早苗" in sentence.final and "奈良" in sentence.final
    assert {c.entry_id for c in sentence.changes} >= {"sanae-takaichi", "nara"}
    ko = corrected["ko"][1]
    assert "다카이치 사나에" in ko.final and "나라" in ko.final and "내량" not in ko.final


def test_stored_versions_keep_paragraphs_and_manifest(glossary, tmp_path):
    plans = _plans()
    results = translate_plans(plans, FakeEngine(), glossary)
    ctx = RunContext(
        ("ja", "ko"),
        (EngineIdentity("fake"),),
        {"path": str(GLOSSARY), "sha256": glossary.sha256},
    )
    plan = plans[0]
    run = Run.create(str(tmp_path), "run")
    translated = TranslatedArticle(plan, correct_article(plan, results["first"], glossary))
    run.write_article(translated, ctx)
    folder = tmp_path / "run" / "first"
    assert sorted(p.name for p in folder.iterdir()) == [
        "ja.mt.txt",
        "ja.txt",
        "ko.mt.txt",
        "ko.txt",
        "manifest.json",
        "segments.jsonl",
        "source.txt",
    ]
    source_paragraphs = (folder / "source.txt").read_text("utf-8").strip().split("\n\n")
    for lang in ("ja", "ko"):
        for name in (f"{lang}.txt", f"{lang}.mt.txt"):
            text = (folder / name).read_text("utf-8").strip()
            assert len(text.split("\n\n")) == len(source_paragraphs)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["id"] == "first" and manifest["segments"] == len(plan.segments)
    assert manifest["source_language"] == {"code": "en", "confidence": 0.99, "method": "langdetect"}
    assert manifest["glossary"]["sha256"] == glossary.sha256
    assert manifest["targets"]["ja"]["changes"] > 0
    rows = [
        json.loads(line) for line in (folder / "segments.jsonl").read_text("utf-8").splitlines()
    ]
    assert [r["index"] for r in rows] == list(range(len(plan.segments)))
    assert rows[1]["targets"]["ja"]["changes"][0]["entry_id"]
    assert not list(folder.glob("*.tmp")) and not list(folder.glob(".*"))
    assert manifest["fingerprint"] == article_fingerprint(plan, ctx)
    assert run.is_complete("first", manifest["fingerprint"])
    assert not run.is_complete("first", "other")
    assert run.read_article("first") == translated


def test_join_paragraphs_spaces_by_language():
    from l10n.models import Segment

    segs = [Segment("a", 0, 0, "x"), Segment("a", 1, 0, "y"), Segment("a", 2, 1, "z")]
    assert join_paragraphs(segs, ["一。", "二。", "三。"], "ja") == "一。二。\n\n三。\n"
    assert join_paragraphs(segs, ["하나.", "둘.", "셋."], "ko") == "하나. 둘.\n\n셋.\n"


def test_undetected_article_is_skipped_with_its_reason():
    plan = plan_article(article_from_text("", "ok", id="tiny"), None, ["ja"], reason="too short")
    assert plan.skipped and plan.skip_reason == "too short" and plan.segments == []


def test_writes_stay_inside_the_run_folder(glossary, tmp_path):
    plans = _plans()
    results = translate_plans(plans, FakeEngine(), glossary)
    ctx = RunContext(("ja", "ko"), (EngineIdentity("fake"),), {"sha256": ""})
    run = Run.create(str(tmp_path / "out"), "run")
    translated = TranslatedArticle(plans[1], correct_article(plans[1], results["second"], glossary))
    run.write_article(translated, ctx)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(tmp_path / "out" / "run" in p.parents for p in written)


def test_an_unused_run_folder_is_removed_and_a_used_one_kept(glossary, tmp_path):
    unused = Run.create(str(tmp_path / "out"), "unused")
    unused.preflight()
    unused.remove_if_unused()
    assert not (tmp_path / "out" / "unused").exists()
    used = Run.create(str(tmp_path / "out"), "used")
    used.preflight()
    plan = _plans()[1]
    translated = TranslatedArticle(
        plan,
        correct_article(
            plan, translate_plans([plan], FakeEngine(), glossary)[plan.article.id], glossary
        ),
    )
    used.write_article(translated, RunContext(("ja", "ko"), (EngineIdentity("fake"),), {}))
    used.remove_if_unused()
    assert (tmp_path / "out" / "used" / plan.article.id / "manifest.json").is_file()


def test_memory_keys_follow_engine_options(glossary, tmp_path):
    class WideBeam(FakeEngine):
        options: ClassVar[dict] = {"beam_size": 4}

    with open_memory(tmp_path / "tm.sqlite") as memory:
        translate_plans(_plans(), FakeEngine(), glossary, memory=memory)
        same = prepare_translation(_plans(), FakeEngine(), glossary, memory=memory)
        other = prepare_translation(_plans(), WideBeam(), glossary, memory=memory)
    assert same.chunks == []
    assert other.segments_to_translate > 0


def test_argos_options_name_what_changes_its_output(tmp_path):
    from l10n.mt.engines.argos import ArgosEngine

    narrow = ArgosEngine(tmp_path, beam_size=1, threads=1)
    assert narrow.options != ArgosEngine(tmp_path, beam_size=4).options
    assert narrow.options == ArgosEngine(tmp_path, beam_size=1, threads=2).options
