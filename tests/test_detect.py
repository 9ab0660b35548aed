from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from l10n.articles.boilerplate import load_rules
from l10n.articles.read import article_from_text, read_inputs
from l10n.models import Article, LanguageGuess
from l10n.text.detect import (
    MIN_LETTERS,
    detect_article,
    detect_language,
    detect_paragraph,
    paragraph_is_foreign,
)
from l10n.text.languages import script_counts

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


@pytest.fixture(scope="module")
def articles():
    batch = read_inputs([str(EXAMPLES)], load_rules())
    assert batch.errors == []
    return batch.articles


def test_english_examples_are_detected_as_english(articles):
    english = [a for a in articles if a.id != "seoul-tokyo-ko"]
    assert len(english) >= 8
    for article in english:
        result = detect_article(article)
        assert result.language is not None, article.id
        assert result.language.code == "en", article.id
        assert result.language.confidence > 0.9, article.id
        assert result.reason is None
        assert len(result.paragraphs) == len(article.paragraphs)


def test_korean_example_is_detected_as_korean(articles):
    korean = next(a for a in articles if a.id == "seoul-tokyo-ko")
    result = detect_article(korean)
    assert result.language.code == "ko"
    assert result.language.method in {"langdetect", "script"}
    assert all(p is not None and p.code == "ko" for p in result.paragraphs)


def test_jsonl_language_hint_is_declared_but_paragraphs_are_detected(articles):
    brief = next(a for a in articles if a.id == "brief-fisheries")
    result = detect_article(brief)
    assert (result.language.code, result.language.confidence, result.language.method) == (
        "en",
        1.0,
        "declared",
    )
    assert len(result.paragraphs) == len(brief.paragraphs) > 1
    assert {p.code for p in result.paragraphs} == {"en"}


def test_override_wins_over_hint_and_is_normalised():
    article = Article(
        "a", "Title", ["Das ist ein deutscher Satz über Politik."], "x", lang_hint="en"
    )
    result = detect_article(article, override="ZH_cn")
    assert (result.language.code, result.language.method) == ("zh", "override")
    assert result.paragraphs[0].code == "de"


def test_detection_is_deterministic(articles):
    texts = [a.text for a in articles] + [
        "Lee said Tokyo und Seoul sollten reden, mais rien n'est décidé pour le moment.",
    ]
    first = [detect_language(t) for t in texts]
    for _ in range(2):
        assert [detect_language(t) for t in texts] == first
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(detect_language, texts * 3)) == first * 3


def test_too_short_text_gives_none_and_a_reason():
    assert detect_language("Lee met Takaichi.") is None
    assert detect_language("12345 67890 !!! ??? 2025-01-01 10,000") is None
    article = article_from_text("Lee in Nara", "Short.")
    result = detect_article(article)
    assert result.language is None
    assert result.reason == "too short to detect (14 letters); pass --source-lang"
    assert result.paragraphs == [None]


def test_letter_threshold_is_on_letters_not_characters():
    just_enough = "a b c d e f g h i j k l m n o p q r s t"
    assert sum(ch.isalpha() for ch in just_enough) == MIN_LETTERS
    assert detect_language(just_enough) is not None
    assert detect_language(just_enough[:-2]) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("首相は北京での会談について記者団に説明し、対話を続ける考えを示しました。", "ja"),
        ("习近平主席在北京会见了来访的代表团，双方就经贸合作交换了意见。", "zh"),
        ("習近平主席在北京會見了來訪的代表團，雙方就經貿合作交換了意見。", "zh"),
        ("이재명 대통령은 도쿄에서 다카이치 총리와 만나 협력 방안을 논의했다.", "ko"),
    ],
)
def test_east_asian_languages(text, code):
    guess = detect_language(text)
    assert guess is not None
    assert guess.code == code


def test_script_check_catches_hangul_heavy_text_with_latin_names():
    text = "Lee 대통령은 Takaichi 총리와 도쿄에서 회담을 마치고 나라 방문 결과를 발표했다"
    assert sum("가" <= ch <= "힣" for ch in text) * 2 > sum(ch.isalpha() for ch in text)
    guess = detect_language(text)
    assert guess.code == "ko"


def test_script_check_overrides_langdetect_on_han_only_text():
    # langdetect's profiles score this Traditional Chinese sentence as Korean.
    guess = detect_language("習近平主席在北京會見了來訪的代表團，雙方就經貿合作交換了意見。")
    assert (guess.code, guess.method) == ("zh", "script")


def test_japanese_with_romanised_names_is_japanese():
    # Latin letters that are only names do not outweigh the Japanese grammar around them.
    text = "Takaichi Sanae Lee Jae Myung Nara Tokyo Seoul summit では会談した"
    guess = detect_language(text)
    assert (guess.code, guess.method) == ("ja", "script")


def test_japanese_sentence_with_latin_names_is_japanese():
    guess = detect_language("高市早苗首相はTokyoでLee Jae-myung大統領と会談し、協力を確認した。")
    assert (guess.code, guess.method) == ("ja", "script")


ENGLISH_QUOTING_JAPANESE = Article(
    "quote",
    "Minister's post draws attention in Tokyo",
    [
        "The foreign minister posted a short message late on Tuesday, thanking the visiting "
        "delegation from Seoul for two days of talks.",
        "本日はソウルからの代表団をお迎えしました。率直な意見交換ができたことを嬉しく思います。",
        "The post was shared more than 10,000 times within hours, the platform's figures show.",
        "「ありがとう」",
        "Lee Jae-myung",
        "Read more.",
    ],
    "x.txt",
)


def test_english_article_quoting_a_japanese_post_is_english():
    text = ENGLISH_QUOTING_JAPANESE.text
    counts = script_counts(text)
    assert counts["kana"] > 10  # far more than "a few kana"
    result = detect_article(ENGLISH_QUOTING_JAPANESE)
    assert (result.language.code, result.language.method) == ("en", "langdetect")


def test_each_paragraph_gets_its_own_language():
    result = detect_article(ENGLISH_QUOTING_JAPANESE)
    codes = [(g.code, g.method) if g else None for g in result.paragraphs]
    assert codes == [
        ("en", "langdetect"),
        ("ja", "script"),
        ("en", "langdetect"),
        ("ja", "script"),  # five kana are enough: only Japanese writes kana
        ("en", "article"),  # names alone: too short to tell, same script as the article
        ("en", "article"),
    ]
    assert result.foreign_paragraphs == [1, 3]


def test_paragraph_in_another_script_is_foreign_even_when_short():
    article = Article(
        "k",
        "",
        ["이재명 대통령은 도쿄에서 다카이치 총리와 만나 협력 방안을 논의했다.", "Thank you all."],
        "x",
    )
    result = detect_article(article)
    assert result.language.code == "ko"
    # 12 letters: too short for langdetect and not in the article's script, so unknown.
    assert result.paragraphs[1] is None
    assert result.foreign_paragraphs == []


def test_japanese_article_with_an_english_quote_and_a_kanji_heading():
    article = Article(
        "j",
        "高市首相、ソウルで李大統領と会談",
        [
            "高市早苗首相は２３日、ソウルで李在明大統領と会談し、経済協力の拡大で一致した。",
            'President Lee told reporters in English: "We will keep talking, whatever happens."',
            "日韓首脳会談",
            '이재명 대통령은 "대화를 계속하겠다"고 말했다.',
        ],
        "x",
    )
    result = detect_article(article)
    assert (result.language.code, result.language.method) == ("ja", "script")
    guesses = [(g.code, g.method) for g in result.paragraphs]
    assert guesses == [
        ("ja", "script"),
        ("en", "langdetect"),
        ("ja", "article"),  # Han only and short: a Japanese heading, not Chinese
        ("ko", "script"),
    ]
    assert result.foreign_paragraphs == [1, 3]


def test_same_script_paragraph_needs_a_sure_langdetect_to_differ():
    english = LanguageGuess("en", 1.0, "langdetect")
    french = "Nous saluons ce dialogue entre les deux pays voisins et amis de longue date."
    assert detect_paragraph(french, english) == LanguageGuess("fr", 1.0, "langdetect")
    # Short: langdetect would guess, but the article's language stands.
    assert detect_paragraph("Merci à tous.", english) == LanguageGuess("en", 1.0, "article")
    assert detect_paragraph("Donald Trump Xi Jinping Busan APEC", english).method == "article"


def test_paragraph_is_foreign():
    en = LanguageGuess("en", 1.0, "langdetect")
    assert paragraph_is_foreign(en, LanguageGuess("ja", 1.0, "script"))
    assert paragraph_is_foreign(en, LanguageGuess("fr", 0.99, "langdetect"))
    assert not paragraph_is_foreign(en, LanguageGuess("en", 0.99, "langdetect"))
    assert not paragraph_is_foreign(en, LanguageGuess("EN-us", 0.99, "langdetect"))
    assert not paragraph_is_foreign(en, LanguageGuess("en", 1.0, "article"))
    assert not paragraph_is_foreign(en, None)
    assert not paragraph_is_foreign(None, LanguageGuess("ja", 1.0, "script"))


def test_declared_language_is_the_reference_for_paragraphs():
    article = Article(
        "d", "", ["今日はソウルからの代表団をお迎えしました。", "Short line."], "x", lang_hint="en"
    )
    result = detect_article(article)
    assert result.language.method == "declared"
    assert [g.code for g in result.paragraphs] == ["ja", "en"]
    assert result.foreign_paragraphs == [0]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("대통령 방문", "ko"),  # five Hangul syllables name Korean
        ("ありがとう", "ja"),
        ("双方就经贸合作交换了意见并达成共识", "zh"),
    ],
)
def test_short_east_asian_text_is_named_by_its_script(text, code):
    guess = detect_language(text)
    assert (guess.code, guess.method) == (code, "script")


def test_a_stray_kana_does_not_make_chinese_japanese():
    text = "习近平主席在北京会见了来访的代表团，双方就经贸合作交换了意见の"
    assert detect_language(text).code == "zh"
