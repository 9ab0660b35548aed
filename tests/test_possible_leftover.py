"""A story-like line kept against a boilerplate phrase is shown to the reviewer: the reader
records it (``suspect_lines``, in the manifest too) and its segments carry the
``possible-leftover`` flag; a line the classifier dropped, and every other line, carry none."""

from __future__ import annotations

import json

import pytest
from conftest import GLOSSARY
from fake_engine import FakeEngine

from l10n.articles.boilerplate import load_rules, strip_boilerplate
from l10n.articles.read import read_inputs
from l10n.correct.stage import correct_article
from l10n.glossary import load_glossary
from l10n.models import EngineIdentity, FlagCode, LanguageGuess, TranslatedArticle
from l10n.mt.translate import translate_plans
from l10n.run.store import Run, RunContext
from l10n.text.plan import plan_article

TITLE = "Harbour city fines broadcaster over unlicensed drone footage"
NAMED = (
    "The broadcaster said the material may not be republished by rivals without a licence, "
    "and that it had paid the pilot in full before the programme aired."
)
STORY = [
    "The harbour city's media regulator fined a local broadcaster on Monday for airing drone "
    "footage of the port without permission, officials said.",
    NAMED,
    "A spokesman for the regulator said the fine would be reviewed if the broadcaster "
    "appealed within thirty days of the decision.",
]
NOTICE = (
    "This material may not be republished, rewritten or redistributed in any form "
    "without the written permission of the harbour media group."
)


def _page() -> list[str]:
    lines = [TITLE, ""]
    for paragraph in STORY:
        lines += [paragraph, ""]
    return [*lines, NOTICE]


def test_the_kept_story_line_is_reported_and_the_dropped_notice_is_not():
    suspects = []
    kept, dropped = strip_boilerplate(_page(), load_rules(), None, suspects=suspects)
    assert NAMED in kept and [d.text for d in dropped] == [NOTICE]
    assert [(s.line, s.text, s.rule) for s in suspects] == [(5, NAMED, "copyright/phrase")]


def test_a_page_without_named_story_lines_has_no_suspects():
    suspects = []
    lines = [TITLE, "", STORY[0], "", STORY[2]]
    strip_boilerplate(lines, load_rules(), None, suspects=suspects)
    assert suspects == []


@pytest.fixture
def translated(tmp_path):
    page = tmp_path / "harbour.txt"
    page.write_text("\n".join(_page()) + "\n", encoding="utf-8")
    batch = read_inputs([str(page)], load_rules())
    assert not batch.errors
    [article] = batch.articles
    glossary = load_glossary(GLOSSARY)
    plan = plan_article(article, LanguageGuess("en", 0.99), ["ja"])
    results = translate_plans([plan], FakeEngine(), glossary)
    return TranslatedArticle(plan, correct_article(plan, results[article.id], glossary)), glossary


def test_the_segment_of_the_named_line_carries_the_flag(translated):
    article, _ = translated
    flagged = [
        seg.text
        for seg, row in zip(article.plan.segments, article.translations["ja"], strict=True)
        if any(f.code == FlagCode.POSSIBLE_LEFTOVER for f in row.flags)
    ]
    assert flagged == [NAMED]
    [flag] = [
        f
        for row in article.translations["ja"]
        for f in row.flags
        if f.code == FlagCode.POSSIBLE_LEFTOVER
    ]
    assert "line 5" in flag.message and "copyright" in flag.message


def test_the_manifest_keeps_the_suspect_lines(translated, tmp_path):
    article, glossary = translated
    ctx = RunContext(
        ("ja",), (EngineIdentity("fake"),), {"path": str(GLOSSARY), "sha256": glossary.sha256}
    )
    run = Run.create(str(tmp_path / "out"), "run")
    run.write_article(article, ctx)
    folder = tmp_path / "out" / "run" / article.plan.article.id
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["suspect_lines"] == [{"line": 5, "text": NAMED, "rule": "copyright/phrase"}]
    assert NOTICE in [d["text"] for d in manifest["dropped_lines"]]
    back = run.read_article(article.plan.article.id)
    assert back.plan.article.suspect_lines == article.plan.article.suspect_lines
    rows = [
        json.loads(line)
        for line in (folder / "segments.jsonl").read_text("utf-8").split("\n")
        if line
    ]
    codes = [[f["code"] for f in r["targets"]["ja"]["flags"]] for r in rows]
    assert sum(FlagCode.POSSIBLE_LEFTOVER.value in c for c in codes) == 1
