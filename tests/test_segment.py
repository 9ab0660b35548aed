import itertools
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from l10n.articles.boilerplate import load_rules
from l10n.articles.read import read_inputs
from l10n.models import Article
from l10n.text.segment import segment_article, split_sentences

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"

CASES = [
    # abbreviations and titles
    (
        "Mr. Lee met Dr. Kim and Gen. Park. They spoke.",
        "en",
        ["Mr. Lee met Dr. Kim and Gen. Park.", "They spoke."],
    ),
    (
        "Talks ended in the U.S. The leaders left.",
        "en",
        ["Talks ended in the U.S.", "The leaders left."],
    ),
    (
        "U.S. officials and U.K. diplomats met. Nothing changed.",
        "en",
        ["U.S. officials and U.K. diplomats met.", "Nothing changed."],
    ),
    ("The U.S. President spoke.", "en", ["The U.S. President spoke."]),
    (
        "The deadline is Jan. 31 and Feb. 2 is a holiday.",
        "en",
        ["The deadline is Jan. 31 and Feb. 2 is a holiday."],
    ),
    (
        "Prof. Ito, Gov. Sato, Sen. Ray, Rep. Cho and Mrs. Han met on St. Mark St. in Seoul.",
        "en",
        ["Prof. Ito, Gov. Sato, Sen. Ray, Rep. Cho and Mrs. Han met on St. Mark St. in Seoul."],
    ),
    (
        "He lives at No. 10 and works for Acme Inc. in Seoul.",
        "en",
        ["He lives at No. 10 and works for Acme Inc. in Seoul."],
    ),
    ("She works for Acme Inc. The firm grew.", "en", ["She works for Acme Inc.", "The firm grew."]),
    (
        "Japan vs. Korea, e.g. in trade, i.e. exports. Then more.",
        "en",
        ["Japan vs. Korea, e.g. in trade, i.e. exports.", "Then more."],
    ),
    (
        "They met at 9 a.m. Tokyo time. At 5 p.m. They left.",
        "en",
        ["They met at 9 a.m. Tokyo time.", "At 5 p.m.", "They left."],
    ),
    (
        "Acme Ltd. Chief Kim and Hanil Co. Director Park met.",
        "en",
        ["Acme Ltd. Chief Kim and Hanil Co. Director Park met."],
    ),
    # initials and numbers
    (
        "J. Smith and A. B. Kato met. Trade rose.",
        "en",
        ["J. Smith and A. B. Kato met.", "Trade rose."],
    ),
    (
        "Growth was 3.5 percent and exports 10,000.25 tons. Prices rose 0.4.",
        "en",
        ["Growth was 3.5 percent and exports 10,000.25 tons.", "Prices rose 0.4."],
    ),
    (
        "The year was 2025. In March talks began.",
        "en",
        ["The year was 2025.", "In March talks began."],
    ),
    # ellipses
    (
        "He paused... then spoke. Wait… What next?",
        "en",
        ["He paused... then spoke.", "Wait…", "What next?"],
    ),
    # quotes
    (
        '"We will meet again." The leaders then left.',
        "en",
        ['"We will meet again."', "The leaders then left."],
    ),
    ("He said “yes.” Then he left.", "en", ["He said “yes.”", "Then he left."]),
    ("She asked ‘why?’ Nobody knew.", "en", ["She asked ‘why?’", "Nobody knew."]),
    ('"Will we?" she asked. Yes!', "en", ['"Will we?" she asked.', "Yes!"]),
    ("It ended (finally.) New talks start.", "en", ["It ended (finally.)", "New talks start."]),
    # headlines
    (
        "Leaders Meet in Nara\nTakaichi welcomed Lee. They talked.",
        "en",
        ["Leaders Meet in Nara", "Takaichi welcomed Lee.", "They talked."],
    ),
    ("Headline only", "en", ["Headline only"]),
    ("Lines wrap\nhere. Then", "en", ["Lines wrap", "here.", "Then"]),
    # Korean with Latin punctuation
    (
        '이재명 대통령은 도쿄를 방문했다. 두 정상은 만났다. "대화를 멈추지 않겠다"고 말했다.',
        "ko",
        [
            "이재명 대통령은 도쿄를 방문했다.",
            "두 정상은 만났다.",
            '"대화를 멈추지 않겠다"고 말했다.',
        ],
    ),
    (
        "성장률은 3.5%였다. iPhone 판매도 늘었다?  네!",
        "ko",
        ["성장률은 3.5%였다.", "iPhone 판매도 늘었다?", "네!"],
    ),
    # Japanese and Chinese
    (
        "首相は「対話を続ける。」と述べた。会談は続いた！本当か？「はい。」次へ。",
        "ja",
        [
            "首相は「対話を続ける。」と述べた。",
            "会談は続いた！",
            "本当か？",
            "「はい。」",
            "次へ。",
        ],
    ),
    ("奈良で会談した。 両首脳は握手した。", "ja", ["奈良で会談した。", "両首脳は握手した。"]),
    (
        "习近平在北京会见了代表团。双方讨论了台湾问题！（完）",
        "zh",
        ["习近平在北京会见了代表团。", "双方讨论了台湾问题！", "（完）"],
    ),
    # degenerate input
    ("", "en", []),
    ("   \n  ", "en", []),
]


@pytest.mark.parametrize(("text", "lang", "expected"), CASES)
def test_split_sentences_cases(text, lang, expected):
    assert split_sentences(text, lang) == expected


ALPHABET = st.sampled_from(
    [
        *"abcXYZ .,!?…\"'“”‘’()「」『』。！？、\n\t0123456789",
        "Mr.",
        "U.S.",
        "Jan.",
        "e.g.",
        "3.5",
        "...",
        "이재명",
        "다.",
        "高市",
        "と",
        " The",
        " the",
    ]
)


@given(st.lists(ALPHABET, max_size=60).map("".join), st.sampled_from(["en", "ko", "ja", "zh"]))
@example("A. B. C.", "en")
@example(" .\n. ", "en")
@example("」と。", "ja")
def test_sentences_reproduce_the_text(text, lang):
    sentences = split_sentences(text, lang)
    pos = 0
    rebuilt = []
    for sentence in sentences:
        assert sentence and sentence == sentence.strip()
        found = text.find(sentence, pos)
        gap = text[pos:found]
        assert found >= 0 and gap.strip() == ""
        rebuilt += [gap, sentence]
        pos = found + len(sentence)
    rebuilt.append(text[pos:])
    assert text[pos:].strip() == ""
    assert "".join(rebuilt) == text


def test_segment_article_numbers_title_and_paragraphs():
    article = Article(
        "a1", "Leaders Meet. In Nara", ["Mr. Lee arrived. Takaichi waited.", "Done."], "x.txt"
    )
    segments = segment_article(article, "en")
    assert [(s.index, s.paragraph, s.text) for s in segments] == [
        (0, -1, "Leaders Meet. In Nara"),
        (1, 0, "Mr. Lee arrived."),
        (2, 0, "Takaichi waited."),
        (3, 1, "Done."),
    ]
    assert {s.article_id for s in segments} == {"a1"}


def test_segment_article_without_title_starts_with_first_paragraph():
    segments = segment_article(Article("b", "", ["One. Two."], "x.txt"), "en")
    assert [(s.index, s.paragraph) for s in segments] == [(0, 0), (1, 0)]


def test_example_articles_segment_cleanly():
    batch = read_inputs([str(EXAMPLES)], load_rules())
    for article in batch.articles:
        lang = "ko" if article.id.endswith("-ko") else "en"
        segments = segment_article(article, lang)
        assert [s.index for s in segments] == list(range(len(segments)))
        for number, paragraph in enumerate(article.paragraphs):
            texts = [s.text for s in segments if s.paragraph == number]
            assert " ".join(texts) == paragraph
        for previous, segment in itertools.pairwise(segments):
            if previous.paragraph == segment.paragraph:
                assert not segment.text[0].islower(), segment.text
        for segment in segments:
            assert not segment.text.endswith(("Mr.", "U.S.", "Jan.", "Feb.")), segment.text
    nara = next(a for a in batch.articles if a.id == "nara-summit")
    texts = [s.text for s in segment_article(nara, "en")]
    assert (
        "Mr. Lee added that he hoped to return the invitation before the end of the year." in texts
    )
    assert "Takaichi's office said the group would report back by Jan. 31." in texts
