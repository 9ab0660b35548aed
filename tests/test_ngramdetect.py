"""ngramdetect gives langdetect's own answer, to the bit, and detection decides as before.

The reference is langdetect's ``Detector`` from the same seeded factory: the probabilities
(every language above the threshold, in order) must be equal as floats, not close.
"""

from pathlib import Path

import pytest
from langdetect.lang_detect_exception import LangDetectException

from l10n.articles.boilerplate import load_rules
from l10n.articles.read import read_inputs
from l10n.models import Article, LanguageGuess
from l10n.text import detect as detect_module
from l10n.text import ngramdetect
from l10n.text.detect import _get_factory, _get_profiles, detect_article
from l10n.text.languages import script_counts, script_of

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"

# The project's own sentences, in the shapes detection meets: prose in several languages and
# scripts, mixed scripts, names and acronyms, URLs and addresses, runs of spaces, capitals,
# Vietnamese written with combining marks, texts with no letters, a text past langdetect's
# 10,000-character cut.
TEXTS = [
    "The harbour board approved the new ferry timetable after a long public hearing.",
    "Le conseil municipal a voté le budget des écoles mardi soir, après trois heures de débat.",
    "Die Stadtwerke erhöhen die Preise für Fernwärme ab dem ersten März um vier Prozent.",
    "El ayuntamiento aprobó ayer un plan para ampliar el horario de la biblioteca central.",
    "O governo anunciou novas regras para o transporte de cargas nas rodovias federais.",
    "Hội đồng thành phố đã thông qua kế hoạch mở rộng công viên ven sông vào tuần trước.",
    "Ho\u0302\u0323i \u0111o\u0302\u0300ng tha\u0300nh pho\u0302\u0301 \u0111a\u0303 qua.",
    "서울시는 내년부터 심야 버스 노선을 두 배로 늘리겠다고 밝혔다.",
    "東京都は来年度から夜間バスの路線を倍に増やすと発表した。",
    "市政府昨天宣布，明年起将夜间公交线路增加一倍。",
    "Городской совет утвердил новый план развития общественного транспорта.",
    "وافق المجلس البلدي على خطة جديدة لتوسيع شبكة النقل العام في المدينة.",
    "Minister Tanaka said 「物価対策を急ぐ」 at a press briefing in Osaka on Monday.",
    "KOREA EXPORTS ROSE FOR A THIRD MONTH IN A ROW, THE TRADE MINISTRY SAID.",
    "NATO, EU and UN officials met in Geneva.",
    "Read more at https://news.example.org/a/b?c=1 or write to desk@example.org today.",
    "Spaces    between     words   are    collapsed      before   counting.",
    "Tokyo",
    "a",
    "1234 5678 — 90 %",
    "...!!!",
    "",
    "Kim Jong-un 김정은 visited Pyongyang 평양 with officials.",
    "한국은행은 기준금리를 동결했다. The Bank of Korea held its rate.",
    ("The council met again on Thursday to weigh the harbour plan. " * 200),
]


@pytest.fixture(scope="module")
def factory():
    return _get_factory()


def reference(factory, text: str) -> list[tuple[str, float]] | None:
    detector = factory.create()
    detector.append(text)
    try:
        return [(found.lang, found.prob) for found in detector.get_probabilities()]
    except LangDetectException:
        return None


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_probabilities_equal_langdetects_own(factory, text):
    expected = reference(factory, text)
    assert ngramdetect.probabilities(factory, text) == expected
    assert ngramdetect.probabilities(_get_profiles(), text) == expected


def test_lazy_profiles_hold_the_factorys_rows_and_languages(factory):
    profiles = _get_profiles()
    assert profiles.langlist == factory.langlist
    assert profiles.seed == factory.seed
    known = profiles.word_lang_prob_map
    for word, row in factory.word_lang_prob_map.items():
        assert word in known
        assert known[word] == row, word
    for word in ("", "zzzq", "  ", "a b c", "xyzzy"):
        assert (word in known) == (word in factory.word_lang_prob_map)


def test_the_examples_paragraph_by_paragraph_equal_langdetects_own(factory):
    batch = read_inputs([str(EXAMPLES)], load_rules())
    texts = [p for a in batch.articles for p in [a.title, *a.paragraphs]]
    assert len(texts) > 50
    for text in texts:
        assert ngramdetect.probabilities(_get_profiles(), text) == reference(factory, text), text


def test_a_second_call_with_warm_caches_gives_the_same_answer(factory):
    text = TEXTS[1]
    first = ngramdetect.probabilities(factory, text)
    ngramdetect._word_ngrams.clear()
    ngramdetect._vectors.clear()
    assert first is not None and first[0][0] == "fr"
    assert ngramdetect.probabilities(factory, text) == first == reference(factory, text)


def test_no_known_ngram_is_none_where_langdetect_raises(factory):
    assert reference(factory, "1234 5678") is None
    assert ngramdetect.probabilities(factory, "1234 5678") is None


def test_script_counts_keep_first_seen_order_and_totals():
    text = "Seoul 서울 and 東京 とうきょう, Москва."
    counts = script_counts(text)
    expected: dict[str, int] = {"letters": 0}
    for ch in text:
        script = script_of(ch)
        if script is not None:
            expected["letters"] += 1
            expected[script] = expected.get(script, 0) + 1
    assert counts == expected
    order = ["letters", "latin", "hangul", "han", "kana", "cyrillic"]
    assert list(counts) == list(expected) == order


def _langdetect_reference(text: str) -> LanguageGuess | None:
    """detect.py's langdetect step with langdetect's own Detector (as before ngramdetect)."""
    best = reference(_get_factory(), text)
    if not best:
        return None
    code, probability = best[0]
    return LanguageGuess(detect_module.normalise_code(code), round(probability, 4), "langdetect")


MIXED = [
    Article(
        "mixed-quote",
        "Council backs harbour plan",
        [
            "The council voted on Tuesday to back the new harbour plan for the east bank.",
            "« Nous ne laisserons pas le port se fermer aux pêcheurs », a déclaré la maire.",
            "Ok.",
            "The vote was 9 to 2.",
        ],
        "mixed.txt",
    ),
    Article(
        "mixed-scripts",
        "ソウルと東京、観光協力で合意",
        [
            "両市は来月から共同の観光キャンペーンを始める。",
            "서울시 관계자는 협력이 계속될 것이라고 말했다.",
            "Officials from both cities signed the agreement in Busan.",
            "東京",
        ],
        "mixed.txt",
    ),
    Article("short", "Rain", ["Rain.", "Wind at 40 km/h."], "short.txt"),
    Article("names", "NATO", ["NATO EU UN", "Kim Jong-un 김정은 Pyongyang"], "names.txt"),
]


@pytest.mark.parametrize("article", MIXED, ids=[a.id for a in MIXED])
def test_detection_decisions_are_unchanged_on_mixed_and_short_inputs(article, monkeypatch):
    fast = detect_article(article)
    monkeypatch.setattr(detect_module, "_langdetect", _langdetect_reference)
    assert detect_article(article) == fast


def test_the_mixed_inputs_are_decided_as_a_reader_would():
    quote = detect_article(MIXED[0])
    assert quote.language is not None and quote.language.code == "en"
    assert quote.foreign_paragraphs == [1]
    assert quote.paragraphs[1] is not None and quote.paragraphs[1].code == "fr"
    scripts = detect_article(MIXED[1])
    assert scripts.language is not None and scripts.language.code == "ja"
    assert scripts.paragraphs[1] is not None and scripts.paragraphs[1].code == "ko"
    short = detect_article(MIXED[2])
    assert short.language is None and short.reason is not None
