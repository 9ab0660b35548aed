"""Inputs that bring their own translations: JSONL ``translations``, XLIFF targets, the
``provided`` engine, and how glossary and QA treat the text they bring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, GLOSSARY

from l10n.articles.read import InputError, read_inputs
from l10n.correct.stage import correct_article
from l10n.glossary import load_glossary
from l10n.models import LanguageGuess
from l10n.mt.engines.base import Engine, engine_identity
from l10n.mt.engines.provided import NotProvidedError, ProvidedEngine
from l10n.mt.engines.pseudo import PseudoEngine
from l10n.mt.translate import provided_translations, translate_plans, unavailable_pairs
from l10n.text.plan import language_pairs, plan_article, plan_articles

EN = LanguageGuess("en", 1.0, "declared")
SOURCE = {
    "id": "visit",
    "title": "Lee Jae Myung to Visit Tokyo",
    "lang": "en",
    "body": (
        "President Lee Jae Myung will travel to Tokyo next month. He will meet Sanae "
        "Takaichi there.\n\nOfficials in Seoul said the trip would last two days."
    ),
}
JA = (
    "イ・ジェミョン、トーキョーを訪問へ\n\n"
    "イ・ジェミョン大統領は来月トーキョーを訪れる。そこでタカイチ・サナエと会談する。\n\n"
    "ソウルの当局者によると、訪問は2日間の予定だ。"
)
KO = (
    "이재명, 동경 방문\n\n"
    "이재명 대통령이 다음 달 동경으로 간다. 그는 그곳에서 타카이치 사나에를 만난다.\n\n"
    "서울의 관리들은 이번 방문이 이틀간 이어질 것이라고 말했다."
)


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(GLOSSARY)


def read_jsonl(tmp_path: Path, rules, *records: dict):
    path = tmp_path / "drafts.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return read_inputs([str(path)], rules)


def with_translations(**translations: str) -> dict:
    return {**SOURCE, "translations": translations}


# -- JSONL -------------------------------------------------------------------


def test_jsonl_translations_align_with_title_and_paragraphs(tmp_path, rules):
    batch = read_jsonl(tmp_path, rules, with_translations(ja=JA, ko=KO))
    assert batch.errors == []
    [article] = batch.articles
    assert [(u.paragraph, u.text) for u in article.units] == [
        (-1, SOURCE["title"]),
        (0, article.paragraphs[0]),
        (1, article.paragraphs[1]),
    ]
    assert article.units[1].translations["ja"].startswith("イ・ジェミョン大統領は来月")
    assert article.units[2].translations["ko"].startswith("서울의 관리들은")
    assert article.provided_languages() == {"ja", "ko"}
    assert not article.keep_units


def test_a_provided_article_is_one_segment_per_paragraph(tmp_path, rules):
    [article] = read_jsonl(tmp_path, rules, with_translations(ja=JA, ko=KO)).articles
    plan = plan_article(article, EN, ["ja", "ko"])
    assert plan.provided
    assert [s.text for s in plan.segments] == [u.text for u in article.units]
    assert language_pairs([plan]) == set()  # no engine needed


def test_translations_for_some_targets_only_leave_the_article_to_the_engine(tmp_path, rules):
    [article] = read_jsonl(tmp_path, rules, with_translations(ja=JA)).articles
    both = plan_article(article, EN, ["ja", "ko"])
    assert not both.provided
    # Sentences again: the engine translates sentence by sentence.
    assert len(both.segments) == 4
    assert language_pairs([both]) == {("en", "ja"), ("en", "ko")}
    assert plan_article(article, EN, ["ja"]).provided


def test_a_target_the_article_is_already_in_needs_no_translation(tmp_path, rules):
    record = {"id": "ko", "title": "서울 회담", "body": "두 정상이 서울에서 만났다.", "lang": "ko"}
    record["translations"] = {"ja": "ソウル会談\n\n両首脳がソウルで会った。"}
    [article] = read_jsonl(tmp_path, rules, record).articles
    plan = plan_article(article, LanguageGuess("ko", 1.0), ["ja", "ko"])
    assert plan.provided and plan.actions == {"ja": "translate", "ko": "copy"}
    rows = provided_translations(plan)
    assert [r.origin for r in rows["ja"]] == ["provided", "provided"]
    assert [(r.origin, r.mt) for r in rows["ko"]] == [
        ("copy", "서울 회담"),
        ("copy", record["body"]),
    ]


@pytest.mark.parametrize(
    ("translations", "problem"),
    [
        ({"ja": "一段落だけ。"}, '"translations"."ja" has 1 block(s) but the article has 3'),
        ({"ko": KO + "\n\n여분의 단락."}, '"translations"."ko" has 4 block(s)'),
        ("just text", '"translations" is not an object'),
        ({"japanese!": JA}, "is not a language code"),
        ({"ja": ["list"]}, '"translations"."ja" is not a string'),
        ({"ja": "  "}, '"translations"."ja" is empty'),
    ],
    ids=["too-few", "too-many", "not-an-object", "bad-code", "not-a-string", "empty"],
)
def test_misaligned_or_malformed_translations_name_the_line(tmp_path, rules, translations, problem):
    good = with_translations(ja=JA, ko=KO) | {"id": "good"}
    batch = read_jsonl(tmp_path, rules, good, {**SOURCE, "translations": translations})
    assert [a.id for a in batch.articles] == ["good"]
    [error] = batch.errors
    assert error.line == 2 and error.path.endswith("drafts.jsonl")
    assert problem in error.message
    assert str(error).startswith(f"{error.path}:2: ")


def test_alignment_error_says_how_to_fix_it(tmp_path, rules):
    batch = read_jsonl(tmp_path, rules, with_translations(ja="only one block"))
    [error] = batch.errors
    assert "a title and 2 paragraph(s)" in error.message
    assert "title first" in error.message and "blank lines" in error.message


def test_lines_without_blank_lines_are_blocks_on_both_sides(tmp_path, rules):
    record = {
        "id": "lines",
        "title": "Seoul talks",
        "body": "Leaders met in Seoul.\nThey agreed to meet again.",
        "translations": {"ja": "ソウル会談\n首脳がソウルで会った。\n再会で合意した。"},
    }
    [article] = read_jsonl(tmp_path, rules, record).articles
    assert [u.translations["ja"] for u in article.units] == [
        "ソウル会談",
        "首脳がソウルで会った。",
        "再会で合意した。",
    ]


def test_boilerplate_is_not_stripped_from_an_article_with_translations(tmp_path, rules):
    body = "Leaders met in Seoul on Monday.\n\nRead more: our top stories"
    plain = {"id": "plain", "title": "Talks", "body": body, "site": "example-news"}
    brought = {
        **plain,
        "id": "brought",
        "translations": {"ja": "会談\n\n月曜日に会った。\n\n続きを読む"},
    }
    batch = read_jsonl(tmp_path, rules, plain, brought)
    by_id = {a.id: a for a in batch.articles}
    assert by_id["brought"].paragraphs == body.split("\n\n")
    assert len(by_id["brought"].units) == 3


# -- XLIFF -------------------------------------------------------------------

XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="desk/story.docx" source-language="en-US" target-language="ko-KR"
       datatype="plaintext">
  <body>
   <group id="g1">
    <trans-unit id="a"><source>Officials from <g id="1">Tokyo</g> met in Seoul.</source>
     <target state="translated">동경의 관리들이 <g id="1">서울</g>에서 만났다.</target></trans-unit>
    <trans-unit id="b"><source>They talked<x id="2"/> for an hour.</source>
     <target>그들은 한 시간 동안 이야기했다.</target></trans-unit>
   </group>
   <trans-unit id="c"><source>Lee Jae Myung joined later.</source>
    <target state="translated">리재명이 나중에 합류했다.</target></trans-unit>
  </body>
 </file>
</xliff>
"""

XLIFF_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="ja">
 <file id="f1" original="desk/brief.txt">
  <unit id="u1">
   <segment state="translated"><source>Sanae Takaichi spoke in Nara.</source>
    <target>タカイチ・サナエが<pc id="1">ナラ</pc>で演説した。</target></segment>
   <segment state="final"><source>She thanked the city.</source>
    <target>彼女は市に感謝した。</target></segment>
  </unit>
  <unit id="u2">
   <segment state="initial"><source>The visit ended on Sunday.</source>
    <target>訪問は日曜日に終わった。</target></segment>
  </unit>
 </file>
</xliff>
"""


def read_xliff(tmp_path: Path, rules, text: str, name: str = "draft.xlf"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return read_inputs([str(path)], rules)


def test_xliff_12_units_are_segments_and_targets_translations(tmp_path, rules):
    batch = read_xliff(tmp_path, rules, XLIFF_12)
    assert batch.errors == []
    [article] = batch.articles
    assert article.id == "story" and article.lang_hint == "en" and article.title == ""
    assert article.keep_units
    # The trans-units of one group form a paragraph; inline codes are left out.
    assert article.paragraphs == [
        "Officials from Tokyo met in Seoul. They talked for an hour.",
        "Lee Jae Myung joined later.",
    ]
    assert [u.paragraph for u in article.units] == [0, 0, 1]
    assert article.units[0].translations == {"ko": "동경의 관리들이 서울에서 만났다."}
    plan = plan_article(article, EN, ["ko"])
    assert plan.provided and [s.text for s in plan.segments] == [u.text for u in article.units]


def test_xliff_20_segments_and_untranslated_states(tmp_path, rules):
    [article] = read_xliff(tmp_path, rules, XLIFF_20, "brief.xliff").articles
    assert article.id == "brief" and article.lang_hint == "en"
    assert [(u.paragraph, u.text) for u in article.units] == [
        (0, "Sanae Takaichi spoke in Nara."),
        (0, "She thanked the city."),
        (1, "The visit ended on Sunday."),
    ]
    assert article.units[0].translations == {"ja": "タカイチ・サナエがナラで演説した。"}
    # state="initial": not translated yet, so Japanese is not provided for the article.
    assert article.units[2].translations == {}
    assert article.provided_languages() == set()
    plan = plan_article(article, EN, ["ja"])
    assert not plan.provided
    # An XLIFF file keeps its segmentation even when an engine translates it.
    assert [s.text for s in plan.segments] == [u.text for u in article.units]


def test_one_xliff_file_per_language_of_the_same_document_is_one_article(tmp_path, rules):
    [article] = read_inputs([str(EXAMPLES / "ports-agreement.xlf")], rules).articles
    assert article.id == "ports-agreement"
    assert article.provided_languages() == {"ja", "ko"}
    assert len(article.paragraphs) == 3 and len(article.units) == 5


def test_l10n_xliff_comes_back_with_its_title_and_paragraphs(tmp_path, rules, glossary):
    from l10n.models import TranslatedArticle
    from l10n.review.interchange import render_xliff

    [source] = read_jsonl(tmp_path, rules, SOURCE).articles
    plan = plan_article(source, EN, ["ja"])
    machine = translate_plans([plan], PseudoEngine(), glossary)[source.id]
    translated = TranslatedArticle(plan, correct_article(plan, machine, glossary))
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "ja.xlf").write_bytes(render_xliff(translated)["ja.xlf"])
    [back] = read_inputs([str(tmp_path / "x" / "ja.xlf")], rules).articles
    assert back.id == "visit"
    assert back.title == source.title and back.paragraphs == source.paragraphs
    assert [u.text for u in back.units] == [s.text for s in plan.segments]


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("<xliff version='1.2'><file><body><trans-unit>", "not well-formed XML", 1),
        ("<html><body>not xliff</body></html>", "not <xliff>", 1),
        ("<xliff version='1.2'><file/></xliff>", "no unit with source text", None),
        (
            "<xliff version='1.2'>\n<file source-language='en'><body><trans-unit id='1'>"
            "<source>Hi.</source><target>やあ。</target></trans-unit></body></file></xliff>",
            "has translations but no valid target language — set target-language",
            2,
        ),
    ],
    ids=["broken", "not-xliff", "empty", "targets-without-language"],
)
def test_bad_xliff_is_an_input_error_naming_the_file(tmp_path, rules, text, problem, line):
    batch = read_xliff(tmp_path, rules, text)
    [error] = batch.errors
    assert isinstance(error, InputError) and error.path.endswith("draft.xlf")
    assert problem in error.message and error.line == line


def test_xliff_entities_are_never_expanded_or_fetched(tmp_path, rules):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", "utf-8")
    hostile = f"""<?xml version="1.0"?>
<!DOCTYPE xliff [
  <!ENTITY leak SYSTEM "file://{secret}">
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<xliff version="1.2"><file source-language="en" target-language="ja"><body>
<trans-unit id="1"><source>Leak &leak; and &c; here.</source><target>漏洩</target></trans-unit>
</body></file></xliff>"""
    batch = read_xliff(tmp_path, rules, hostile)
    assert batch.errors == []
    [article] = batch.articles
    assert article.paragraphs == ["Leak and here."]
    assert "TOP SECRET" not in article.text and "aaaa" not in article.text


# -- the engine and the stage ---------------------------------------------------


def test_provided_engine_answers_with_the_inputs_text_and_names_itself(tmp_path, rules):
    [article] = read_jsonl(tmp_path, rules, with_translations(ja=JA, ko=KO)).articles
    engine = ProvidedEngine(article)
    assert isinstance(engine, Engine)
    first = article.units[1]
    assert engine.translate_batch([first.text], "en", "ko") == [first.translations["ko"]]
    with pytest.raises(NotProvidedError, match="no ja translation"):
        engine.translate_batch(["A sentence nobody translated."], "en", "ja")
    identity = engine_identity(engine, [("en", "ja")])
    assert identity.name == "provided" and identity.pseudo is False
    assert identity.packages == ()
    # A changed translation is another identity, so a resumed run redoes the article.
    [edited] = read_jsonl(tmp_path, rules, with_translations(ja=JA, ko=KO + "다")).articles
    assert engine_identity(ProvidedEngine(edited), []).options != identity.options


def test_glossary_and_qa_correct_the_provided_text(tmp_path, rules, glossary):
    [article] = read_jsonl(tmp_path, rules, with_translations(ja=JA, ko=KO)).articles
    [plan] = plan_articles([article], ["ja", "ko"])
    machine = translate_plans([plan], PseudoEngine(), glossary)[article.id]
    assert {r.origin for rows in machine.values() for r in rows} == {"provided"}
    assert machine["ko"][1].mt == KO.split("\n\n")[1]  # no placeholder, no pseudo text
    corrected = correct_article(plan, machine, glossary)
    ko = corrected["ko"][1]
    assert (
        ko.final == "이재명 대통령이 다음 달 도쿄로 간다. 그는 그곳에서 다카이치 사나에를 만난다."
    )
    assert {(c.entry_id, c.rule) for c in ko.changes} >= {
        ("tokyo", "variant"),
        ("tokyo", "ko-particle"),
        ("sanae-takaichi", "variant"),
    }
    ja = corrected["ja"][0]
    assert ja.final == "李在明、東京を訪問へ"


def test_provided_articles_never_reach_the_engine_or_its_missing_models(tmp_path, rules):
    from l10n.mt.engines.argos import ArgosEngine

    [article] = read_jsonl(tmp_path, rules, with_translations(ja=JA, ko=KO)).articles
    [plan] = plan_articles([article], ["ja", "ko"])
    empty = tmp_path / "no-packages"
    empty.mkdir()
    assert unavailable_pairs([plan], ArgosEngine(empty)) == {}


def test_the_examples_show_real_glossary_corrections_offline(rules, glossary):
    """`make run` offline: the example drafts' wrong names come out in the house forms."""
    batch = read_inputs([str(EXAMPLES)], rules)
    plans = [p for p in plan_articles(batch.articles, ["ja", "ko"]) if p.provided]
    assert {p.article.id for p in plans} == {
        "draft-lee-tokyo-visit",
        "draft-xi-trade-ministers",
        "ports-agreement",
    }
    machine = translate_plans(plans, PseudoEngine(), glossary)
    rules_seen: set[str] = set()
    for plan in plans:
        corrected = correct_article(plan, machine[plan.article.id], glossary)
        for rows in corrected.values():
            rules_seen |= {c.rule for row in rows for c in row.changes}
        finals = {lang: " ".join(r.final for r in rows) for lang, rows in corrected.items()}
        for wrong in ("タカイチ", "トーキョー", "동경", "타카이치", "대판", "오오사카", "리재명"):
            assert wrong not in finals["ja"] + finals["ko"], (plan.article.id, wrong)
    assert {"variant", "ko-particle"} <= rules_seen
