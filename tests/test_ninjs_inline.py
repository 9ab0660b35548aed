"""Inline emphasis and links in translated HTML bodies: re-placed by their translation where it
is found exactly once, listed for the editor where it is not; markup never reaches a model."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from lxml import html as lxml_html
from test_ninjs import schema_errors

from l10n.formats.ninjs import NinjsError, fill_html, inline_spans
from l10n.glossary import glossary_from_text
from l10n.models import ModelInfo


def _root(html: str) -> Any:
    return lxml_html.fragment_fromstring(html, create_parent="div")


def test_an_element_whose_text_changed_is_wrapped_around_its_translation():
    filled = fill_html(
        '<p>Der <em>Hafen</em> in <a href="https://x.example/">Lindau</a> ist neu.</p>',
        ["Lindau の港は新しい。"],
        {"Hafen": ["港。"]},  # an engine's bare-phrase answer, full stop and all
    )
    root = _root(filled.html)
    assert root.find(".//em").text == "港"
    link = root.find(".//a")
    assert (link.text, link.get("href")) == ("Lindau", "https://x.example/")
    assert root.text_content() == "Lindau の港は新しい。"
    assert filled.unplaced == []
    # The translation put the link first: the elements follow the translation's order.
    assert [e.tag for e in root.find("p")] == ["a", "em"]


def test_a_translation_found_twice_or_not_at_all_is_never_guessed():
    filled = fill_html(
        "<p>Ein <b>Hafen</b> und ein <i>Schiff</i>.</p>",
        ["港と港の船。"],
        {"Hafen": ["港"], "Schiff": ["ボート"]},
    )
    root = _root(filled.html)
    assert root.find(".//b") is None and root.find(".//i") is None
    assert root.text_content() == "港と港の船。"
    assert filled.unplaced == ["<b>Hafen</b>", "<i>Schiff</i>"]


def test_candidates_are_tried_in_order_and_overlaps_are_refused():
    filled = fill_html(
        "<p><em>Anna Berger</em> traf <strong>Berger</strong>.</p>",
        ["アンナ・ベルガーはベルガーに会った。"],
        {"Anna Berger": ["アナ・ベルガー", "アンナ・ベルガー"], "Berger": ["ベルガー"]},
    )
    root = _root(filled.html)
    assert root.find(".//em").text == "アンナ・ベルガー"
    # "ベルガー" occurs twice in the text: the second element is not placed by guess.
    assert root.find(".//strong") is None
    assert filled.unplaced == ["<strong>Berger</strong>"]


def test_a_link_around_emphasis_keeps_both_and_mixed_content_is_not_split():
    filled = fill_html(
        '<p>Siehe <a href="/a"><em>den Bericht</em></a> und <a href="/b">das <b>neue</b> '
        "Programm</a>.</p>",
        ["報告書と新プログラムを参照。"],
        {"den Bericht": ["報告書"], "das neue Programm": ["新プログラム"]},
    )
    root = _root(filled.html)
    [link] = root.findall(".//a")
    assert link.get("href") == "/a" and link.find("em").text == "報告書"
    assert filled.unplaced == ["<a>das neue Programm</a>"]
    assert root.text_content() == "報告書と新プログラムを参照。"


def test_inline_spans_are_the_texts_of_elements_inside_blocks():
    assert inline_spans(
        '<p>Die <em>Stadt</em> <a href="/x"><b>Lindau</b></a></p><h2>Kosten</h2>'
        "<p>Wieder <em>Stadt</em>.<br/></p>"
    ) == ["Stadt", "Lindau"]


def test_images_keep_their_place_at_a_paragraph_s_edge_and_get_their_alt_text():
    from l10n.formats.ninjs import alt_texts

    body = (
        '<p><img src="/a.jpg" alt="A  harbour"/>Der Hafen.</p>'
        '<p>Vorher <img src="/b.jpg" alt=""/> nachher.</p>'
        '<figure><img src="/c.jpg" alt="Die Fähre"/><figcaption>Fähre</figcaption></figure>'
    )
    assert alt_texts(body) == ["A harbour", "Die Fähre"]  # an empty alt is not translated
    filled = fill_html(body, ["港。", "前と後。", "フェリー", "港の写真", "フェリーの写真"], alts=2)
    root = _root(filled.html)
    first, second = root.findall("p")
    assert first[0].tag == "img" and not first.text and first[0].tail == "港。"
    assert first[0].get("alt") == "港の写真"
    assert second[-1].tag == "img" and second.text == "前と後。"
    assert filled.unplaced == ["<img> (moved to the end of its paragraph)"]
    assert root.find("figure/img").get("alt") == "フェリーの写真"
    with pytest.raises(NinjsError, match="5 translated block"):
        fill_html(body, ["港。", "前と後。", "フェリー", "港の写真", "フェリーの写真"])


def test_a_run_translates_alt_text_as_a_segment_of_its_own(tmp_path: Path, words: None) -> None:
    from l10n.pipeline import RunOptions, translate_run

    body = (
        "<p>The mayor opened the harbour.</p>"
        "<figure><img src='https://example.org/p.jpg' alt='The harbour in Lindau'/>"
        "<figcaption>The region.</figcaption></figure>"
    )
    item = {**ITEM, "bodies": [{"role": "main", "contentType": "text/html", "value": body}]}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "alt.json").write_text(json.dumps(item), "utf-8")
    summary = translate_run(
        RunOptions(
            inputs=[str(tmp_path / "in")],
            targets=["ja"],
            engine="words",
            out=str(tmp_path / "out"),
            run_id="alt",
        )
    )
    [done] = summary.done
    folder = tmp_path / "out" / "alt" / done.id
    sources = [json.loads(line)["source"] for line in (folder / "segments.jsonl").open()]
    assert "The harbour in Lindau" in sources  # reviewable like any sentence
    out = json.loads((folder / "ja.ninjs.json").read_text("utf-8"))
    assert schema_errors(out, "3") == []
    root = _root(out["bodies"][0]["value"])
    assert root.find("figure/img").get("alt") == "その 港 に リンダウ"
    assert root.find("figure/figcaption").text == "その 地域。"
    assert len(root.findall("p")) == 1


# --- through the pipeline, with an engine that translates word by word -----------------

WORDS = {
    "The": "その",
    "harbour": "港",
    "in": "に",
    "Lindau": "リンダウ",
    "opened": "開いた",
    "a": "ある",
    "great": "大きな",
    "day": "日",
    "for": "の",
    "region": "地域",
    "mayor": "市長",
    "called": "呼んだ",
    "it": "それを",
    "the": "その",
    "second": "第二",
    "opened.": "開いた。",
    "region.": "地域。",
    "harbour.": "港。",
}
SENT: list[str] = []


class WordEngine:
    """Translates word by word from a small table (unknown words kept)."""

    name = "words"
    is_pseudo = False
    carries_placeholders = False
    needs_model = False
    options: ClassVar[dict] = {}
    settings: ClassVar[dict] = {}

    def __init__(self, settings: Any = None) -> None:
        pass

    def can_translate(self, source: str, target: str) -> bool:
        return True

    def models(self, source: str, target: str) -> list[ModelInfo]:
        return [ModelInfo(f"words-{source}-{target}", "1", None, source, target)]

    def missing_reason(self, pairs: Iterable[tuple[str, str]]) -> str:
        return "words translates every pair"

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        SENT.extend(texts)
        return [" ".join(WORDS.get(w, w) for w in text.split()) for text in texts]


@pytest.fixture
def words() -> Iterator[None]:
    from l10n.mt.engines import registry

    registry.families()
    registry.register(registry.Family("words", WordEngine, "word by word"))
    SENT.clear()
    yield
    registry._families.pop("words")
    registry.engine_from_spec.cache_clear()


BODY = (
    '<p>The <em>harbour</em> in <a href="https://example.org/lindau">Lindau</a> opened.</p>'
    '<p>The mayor called it <a href="https://example.org/day"><strong>a great day</strong></a> '
    "for the region.</p>"
    "<p>The <i>harbour</i> opened a second harbour.</p>"
)
ITEM: dict[str, Any] = {
    "uri": "urn:example:en:2026:lindau-harbour",
    "type": "text",
    "pubStatus": "usable",
    "language": "en",
    "headlines": [{"role": "main", "value": "Lindau opens its harbour"}],
    "bodies": [{"role": "main", "contentType": "text/html", "value": BODY}],
}


def test_a_run_places_translated_inline_markup_and_lists_what_it_cannot(
    tmp_path: Path, words: None
) -> None:
    from l10n.pipeline import RunOptions, translate_run

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "lindau.json").write_text(json.dumps(ITEM), "utf-8")
    summary = translate_run(
        RunOptions(
            inputs=[str(tmp_path / "in")],
            targets=["ja"],
            engine="words",
            out=str(tmp_path / "out"),
            run_id="inline",
        )
    )
    [done] = summary.done
    assert not any("<" in text for text in SENT), "markup went to the engine"
    assert {"harbour", "a great day"} <= set(SENT), "the bare element texts were translated"
    item = json.loads((tmp_path / "out" / "inline" / done.id / "ja.ninjs.json").read_text())
    assert schema_errors(item, "3") == []
    root = _root(item["bodies"][0]["value"])
    assert len(root.findall("p")) == 3
    first, second, third = root.findall("p")
    assert first.find("em").text == "港" and first.find("a").text == "リンダウ"
    link = second.find("a")
    assert link.get("href") == "https://example.org/day"
    assert link.find("strong").text == "ある 大きな 日"
    # "港" twice in the third paragraph: not wrapped, and the editor is told.
    assert third.find("i") is None
    assert "<i>harbour</i>" in item["edNote"]
    assert "<em>harbour</em>" not in item["edNote"]


def test_a_glossary_name_is_found_by_its_house_rendering():
    from l10n.articles.ninjs import article_from_item
    from l10n.mt.translate import prepare_translation
    from l10n.text.plan import plan_articles

    glossary = glossary_from_text(
        "version: 1\nsource_language: en\nentries:\n"
        "  - id: anna-berger\n    type: person\n    source: Anna Berger\n"
        "    targets: {ja: アンナ・ベルガー, ko: 안나 베르거}\n"
    )
    item = {
        **ITEM,
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": "<p>The mayor <b>Anna Berger</b> opened the <em>harbour</em>.</p>",
            }
        ],
    }
    plans = plan_articles([article_from_item(item, "item.json", None)], ["ja"], None)
    work = prepare_translation(plans, WordEngine(), glossary)
    [article_id] = work.spans
    spans = work.spans[article_id]["ja"]
    assert spans["Anna Berger"] == ["アンナ・ベルガー"]  # before any engine answer
    assert spans["harbour"] == []  # waits for the engine
    assert ("en", "ja") in work.span_jobs
    assert any("harbour" in chunk.texts for chunk in work.chunks)


def test_the_memory_s_approved_translation_of_an_element_is_used_unsent(tmp_path: Path) -> None:
    from l10n.articles.ninjs import article_from_item
    from l10n.mt.memory import Approval, open_memory
    from l10n.mt.translate import assemble, prepare_translation, translate_chunk
    from l10n.text.plan import plan_articles

    glossary = glossary_from_text("version: 1\nsource_language: en\nentries: []\n")
    plans = plan_articles([article_from_item(ITEM, "item.json", None)], ["ja"], None)
    engine = WordEngine()
    SENT.clear()
    with open_memory(tmp_path / "tm.sqlite") as memory:
        memory.approve([Approval("harbour", "en", "ja", "港湾", "Mina Park")])
        work = prepare_translation(plans, engine, glossary, memory=memory)
        assemble(work, [(c, translate_chunk(engine, c, memory)) for c in work.chunks])
    [spans] = work.spans.values()
    assert spans["ja"]["harbour"] == ["港湾"]
    assert spans["ja"]["a great day"] == ["ある 大きな 日"]  # the engine's, bare text
    assert "harbour" not in SENT and "a great day" in SENT


# --- the real engine stack: pseudo and a random-weight Argos model --------------------

STACK_BODY = (
    "<p>The <em>harbour</em> in <a href='https://example.org/l'>Lindau</a> opened on Monday. "
    "The mayor spoke of <a href='https://example.org/d'><strong>a great day</strong></a>.</p>"
    "<p>It cost <b>12 million euros</b> and took <i>three years</i>.</p>"
    "<figure><img src='https://example.org/p.jpg' alt='The new harbour'/>"
    "<figcaption>The <em>ferry terminal</em> at dusk.</figcaption></figure>"
    "<ul><li>Berths for <em>80 boats</em></li><li>A ferry terminal</li></ul>"
)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pseudo", "argos"])
def test_the_real_engines_never_break_the_html_or_its_paragraphs(
    engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modelkit import build_test_package

    from l10n.mt.engines.argos import packages as ap
    from l10n.pipeline import RunOptions, translate_run

    if engine == "argos":
        packages = tmp_path / "packages"
        ap.install_archive(build_test_package(tmp_path / "built", "en", "ja"), packages)
        monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    item = {**ITEM, "bodies": [{"role": "main", "contentType": "text/html", "value": STACK_BODY}]}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "item.json").write_text(json.dumps(item), "utf-8")
    summary = translate_run(
        RunOptions(
            inputs=[str(tmp_path / "in")],
            targets=["ja"],
            engine=engine,
            out=str(tmp_path / "out"),
            run_id="stack",
        )
    )
    [done] = summary.done
    out = json.loads((tmp_path / "out" / "stack" / done.id / "ja.ninjs.json").read_text())
    assert schema_errors(out, "3") == []
    before, after = _root(STACK_BODY), _root(out["bodies"][0]["value"])
    for path in ("p", "figure", "figure/figcaption", "ul/li", ".//img"):
        assert len(after.findall(path)) == len(before.findall(path)), path
    assert {a.get("href") for a in after.iter("a")} <= {a.get("href") for a in before.iter("a")}
    # Every inline element is either standing in the body or listed for the editor.
    note = out["edNote"].partition("their text is there without the markup: ")[2]
    listed = re.findall(r"<(\w+)>[^<]*</\1>", note)
    blocks = ".//p/{0} | .//li/{0} | .//figcaption/{0}"
    for tag in ("a", "em", "b", "i"):
        kept = len(after.xpath(blocks.format(tag)))
        assert kept + listed.count(tag) == len(before.xpath(blocks.format(tag))), tag
    assert "<" not in after.text_content()
