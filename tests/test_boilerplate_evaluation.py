"""The project's labelled pages (evaluation/boilerplate/) and the features the classifier reads."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from l10n.articles.boilerplate import load_rules
from l10n.articles.boilerplate.evaluation import (
    EvaluationFormatError,
    load_pages,
    run_pages,
    score,
)
from l10n.articles.boilerplate.features import (
    HEADLINE,
    LABEL,
    PROSE,
    SENTENCE,
    core_text,
    describe,
)
from l10n.articles.boilerplate.lexicon import fold_chinese, lexicon

PAGES = Path(__file__).resolve().parent.parent / "evaluation" / "boilerplate"


@pytest.fixture(scope="module")
def pages():
    return load_pages(PAGES)


@pytest.fixture(scope="module")
def results(pages):
    return run_pages(pages, load_rules())


def test_evaluation_set_has_the_promised_breadth(pages):
    assert len(pages) >= 40
    assert len({p.layout for p in pages}) >= 15
    languages = Counter(p.language for p in pages)
    assert all(languages[lang] >= 5 for lang in ("en", "ja", "ko", "zh"))
    assert {"dev", "heldout-1", "heldout-2"} <= {p.split for p in pages}
    assert sum(1 for p in pages if p.is_html) >= 3
    classes = {g.cls for p in pages for g in p.gold if not g.story}
    assert {
        "nav",
        "related",
        "caption",
        "player",
        "subscribe",
        "share",
        "embed",
        "comment",
        "ad",
        "copyright",
        "continue",
        "promo",
        "repeat",
        "teaser",
    } <= classes


def test_no_story_line_of_any_labelled_page_is_dropped(results):
    lost = [(r.page.path.name, r.gold.text) for r in results if r.gold.story and r.dropped]
    assert lost == []


def test_recall_on_the_labelled_pages_meets_the_target(results):
    assert score(results).recall >= 0.9
    for split in ("dev", "heldout-1", "heldout-2"):
        assert score(r for r in results if r.page.split == split).recall >= 0.9, split


def test_scores_count_what_they_say():
    from l10n.articles.boilerplate.evaluation import Gold, Page, Result

    page = Page(Path("x.txt"), "l", "en", "dev", "", [])
    results = [
        Result(page, Gold("a", True, None), False),
        Result(page, Gold("b", True, None), True),
        Result(page, Gold("c", False, "ad"), True),
        Result(page, Gold("d", False, "ad"), False),
    ]
    s = score(results)
    assert (s.boilerplate, s.removed, s.story, s.story_dropped) == (2, 1, 2, 1)
    assert s.recall == 0.5
    assert s.precision == 0.5


def test_labelled_page_format_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("# layout: x\n# language: en\n# split: dev\nS ok\nstory without label\n")
    with pytest.raises(EvaluationFormatError, match=r"bad\.txt:5: start the line"):
        load_pages(tmp_path)
    bad.write_text("# layout: x\n# language: en\nS ok\n")
    with pytest.raises(EvaluationFormatError, match="lacks split"):
        load_pages(tmp_path)


def test_labelled_page_body_is_the_page_without_labels(tmp_path):
    (tmp_path / "p.txt").write_text(
        "# layout: x\n# language: en\n# split: heldout-1\nS Title here\n\nB:share Share\n"
    )
    (page,) = load_pages(tmp_path)
    assert page.body == "Title here\n\nShare\n"
    assert [(g.text, g.story, g.cls) for g in page.gold] == [
        ("Title here", True, None),
        ("Share", False, "share"),
    ]
    assert page.gold_lines == {0: 0, 2: 1}


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("Officials said the talks would continue next week.", PROSE),
        ("Lee declined to comment.", PROSE),
        ("Sign up.", SENTENCE),
        ("Share", LABEL),
        ("Japan and South Korea agree to restart ferry drills", HEADLINE),
        ("日本と韓国の両政府は4日、新たな制度を始めると発表した。", PROSE),
        ("関連記事", LABEL),
        ("한국과 일본 정부는 새 비자 제도를 내년 4월부터 시행한다.", PROSE),
        ("관련기사", LABEL),
        ("中国与东盟26日在雅加达宣布启动数字贸易规则谈判。", PROSE),
        ("相关新闻", LABEL),
        ("Lee spoke to reporters in the U.S.", PROSE),
        ("U.S.", LABEL),
        ("The talks ended without a deal, officials said. (Northgate)", PROSE),
    ],
)
def test_line_shapes(text, shape):
    assert describe(0, text, lexicon()).shape == shape


def test_bylines_dates_and_stamps_are_recognised():
    lex = lexicon()
    assert describe(0, "By Mina Park", lex).meta == "byline"
    assert describe(0, "김하늘 기자", lex).meta == "byline"
    assert describe(0, "March 4, 2025", lex).meta == "date"
    assert describe(0, "Updated 7:42 AM GMT+9", lex).meta == "stamp"
    assert describe(0, "入力 2025.03.04 18:32", lex).meta in ("stamp", "date")
    assert describe(0, "World", lex).meta is None


def test_core_text_strips_bullets_brackets_colons_and_counts():
    assert core_text("▶ 관련기사") == "관련기사"
    assert core_text("【関連記事】") == "関連記事"
    assert core_text("Comments (12)") == "Comments"
    assert core_text("Related coverage:") == "Related coverage"
    assert core_text("댓글 3") == "댓글"
    assert core_text("12") == "12"


def test_traditional_chinese_is_folded_for_matching_only():
    assert fold_chinese("相關新聞") == "相关新闻"
    assert fold_chinese("廣告") == "广告"
    info = describe(0, "延伸閱讀", lexicon())
    assert info.text == "延伸閱讀"
    assert info.core == "延伸阅读"


def test_the_lexicon_file_reads_the_same_with_libyaml_as_with_the_python_parser() -> None:
    import yaml

    from l10n.articles.boilerplate.lexicon import LEXICON_PATH, lexicon_data

    expected = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    assert lexicon_data() == expected
    assert yaml.__with_libyaml__  # the fast parser is the one a run uses
