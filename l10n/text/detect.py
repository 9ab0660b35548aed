"""Source-language detection for articles and for each of their paragraphs.

Scripts decide first, by proportion: Hangul is written only in Korean and kana only in
Japanese, so when East Asian script holds most of a text's letters the script names the
language (kana among the Han characters: Japanese; Han alone: Chinese). A few kana in an
English article quoting a Japanese post do not make it Japanese. Otherwise langdetect names
the language of the remaining letters (the East Asian ones removed). langdetect is random by
design; a private, seeded detector factory gives the same answer on every run and thread.

Paragraphs are judged against the article: a paragraph too short for langdetect, in the
article's own script, takes the article's language (method ``article``); one in another script
is named by its script; one in the same script is given another language only when langdetect
is sure of it on enough letters. :func:`paragraph_is_foreign` says which paragraphs differ.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from l10n.models import Article, LanguageGuess
from l10n.text.languages import (
    EAST_ASIAN_SCRIPTS,
    EAST_ASIAN_WEIGHT,
    language,
    normalise_code,
    script_counts,
    script_of,
)
from l10n.text.ngramdetect import Profiles, probabilities

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

MIN_LETTERS = 20
"""Letters langdetect needs before its answer means anything."""
MIN_EAST_ASIAN = 4
"""Hangul or kana characters that name Korean or Japanese on their own."""
MIN_HAN_ONLY = 10
"""Han characters, without kana, that make a text Chinese rather than a Japanese heading."""
MIN_KANA_SHARE = 0.05
"""Kana among Han and kana above which East Asian text is Japanese (Chinese has none)."""
FOREIGN_LETTERS = 40
FOREIGN_CONFIDENCE = 0.9
"""A paragraph in the article's script is another language only past both of these."""

NAMES_LOWER_SHARE = 0.3
"""Below this share of lower-case words, Latin text beside East Asian text is only names."""

_WORD = re.compile(r"[^\W\d_][\w'-]*")
_SEED = 0
_factory: DetectorFactory | None = None
_profiles: Profiles | None = None
_lock = threading.Lock()


@dataclass
class ArticleLanguage:
    """The article's language (None when unknown) and a guess per body paragraph."""

    language: LanguageGuess | None
    paragraphs: list[LanguageGuess | None] = field(default_factory=list)
    reason: str | None = None

    @property
    def foreign_paragraphs(self) -> list[int]:
        """Indices of body paragraphs written in another language than the article."""
        return [
            number
            for number, guess in enumerate(self.paragraphs)
            if paragraph_is_foreign(self.language, guess)
        ]


def paragraph_is_foreign(article: LanguageGuess | None, paragraph: LanguageGuess | None) -> bool:
    """Whether a paragraph is in another language than its article, in a way that matters.

    True only for a detected paragraph language (script or confident langdetect) that differs
    from the article's; a paragraph too short to tell, or inheriting the article's language,
    is not foreign, and neither is anything in an article of unknown language.
    """
    if article is None or paragraph is None or paragraph.method == "article":
        return False
    return normalise_code(paragraph.code) != normalise_code(article.code)


def detect_language(text: str) -> LanguageGuess | None:
    """Best guess for ``text``, or None when it is too short or nothing recognises it."""
    counts = script_counts(text)
    east = _east_asian(counts)
    if east is not None and _east_share(counts) >= 0.5:
        return east
    rest = _without_east_asian(text) if east is not None or _has_east(counts) else text
    if script_counts(rest)["letters"] < MIN_LETTERS or (east is not None and _names_only(rest)):
        return east
    return _langdetect(rest)


def detect_paragraph(text: str, article: LanguageGuess | None) -> LanguageGuess | None:
    """A paragraph's language, read with its article's language as the default."""
    counts = script_counts(text)
    if article is None:
        return detect_language(text)
    code = normalise_code(article.code)
    if counts["letters"] < FOREIGN_LETTERS and not _has_east(counts) and _same_script(counts, code):
        return _inherit(article, counts)  # too short to be called another language anyway
    guess = detect_language(text)
    if guess is not None and guess.method == "script":
        if guess.code == "zh" and code == "ja" and counts.get("han", 0) < MIN_LETTERS:
            return _inherit(article, counts)  # a kanji-only heading or caption
        return guess
    if not _same_script(counts, code):
        return guess
    if guess is None or guess.code == code:
        return _inherit(article, counts) if guess is None else guess
    sure = guess.confidence >= FOREIGN_CONFIDENCE and counts["letters"] >= FOREIGN_LETTERS
    return guess if sure else _inherit(article, counts)


def detect_article(article: Article, override: str | None = None) -> ArticleLanguage:
    """Language of a whole article; an explicit or declared language wins over detection.

    Paragraphs are always detected, against the article's language, so that a paragraph in
    another language (a quoted post, a foreign quotation) can be translated from its own.
    """
    if override:
        language: LanguageGuess | None = LanguageGuess(normalise_code(override), 1.0, "override")
        reason = None
    elif article.lang_hint:
        language = LanguageGuess(normalise_code(article.lang_hint), 1.0, "declared")
        reason = None
    else:
        language, reason = _detect_whole(article)
    paragraphs = [detect_paragraph(p, language) for p in article.paragraphs]
    return ArticleLanguage(language, paragraphs, reason)


def _detect_whole(article: Article) -> tuple[LanguageGuess | None, str | None]:
    text = "\n\n".join([article.title, *article.paragraphs])
    counts = script_counts(text)
    guess = detect_language(text)
    if guess is not None:
        return guess, None
    if counts["letters"] < MIN_LETTERS:
        return None, f"too short to detect ({counts['letters']} letters); pass --source-lang"
    return None, "language not recognised; pass --source-lang"


def _east_asian(counts: dict[str, int]) -> LanguageGuess | None:
    """Korean, Japanese or Chinese as the East Asian letters say, with their share."""
    hangul, kana, han = (counts.get(s, 0) for s in ("hangul", "kana", "han"))
    share = round(_east_share(counts), 4)
    if hangul >= MIN_EAST_ASIAN and hangul >= kana + han:
        return LanguageGuess("ko", share, "script")
    if kana and kana >= MIN_KANA_SHARE * (kana + han) and kana + han >= MIN_EAST_ASIAN:
        return LanguageGuess("ja", share, "script")
    if han >= MIN_HAN_ONLY and han > hangul:
        return LanguageGuess("zh", share, "script")
    if hangul >= MIN_EAST_ASIAN:
        return LanguageGuess("ko", share, "script")
    return None


def _east_share(counts: dict[str, int]) -> float:
    east = sum(counts.get(s, 0) for s in EAST_ASIAN_SCRIPTS) * EAST_ASIAN_WEIGHT
    other = counts["letters"] - sum(counts.get(s, 0) for s in EAST_ASIAN_SCRIPTS)
    return east / (east + other) if east + other else 0.0


def _has_east(counts: dict[str, int]) -> bool:
    return any(counts.get(s, 0) for s in EAST_ASIAN_SCRIPTS)


def _names_only(text: str) -> bool:
    """Capitalised words with hardly a lower-case one: names and acronyms, not prose."""
    words = [w for w in _WORD.findall(text) if w[0].isupper() or w[0].islower()]
    lower = sum(w[0].islower() for w in words)
    return bool(words) and (lower < 3 or lower < NAMES_LOWER_SHARE * len(words))


def _without_east_asian(text: str) -> str:
    return "".join(" " if script_of(ch) in EAST_ASIAN_SCRIPTS else ch for ch in text)


def _same_script(counts: dict[str, int], code: str) -> bool:
    """Whether most letters are in the script family the article's language is written in."""
    known = language(code)
    if known is None:
        return True
    return _dominant_family(counts) in (None, _family(known.script))


def _dominant_family(counts: dict[str, int]) -> str | None:
    weights: dict[str, float] = {}
    for script, count in counts.items():
        if script != "letters":
            family = _family(script)
            weight = EAST_ASIAN_WEIGHT if family == "east asian" else 1
            weights[family] = weights.get(family, 0) + count * weight
    return max(weights, key=lambda f: weights[f]) if weights else None


def _family(script: str) -> str:
    return "east asian" if script in EAST_ASIAN_SCRIPTS else script


def _inherit(article: LanguageGuess, counts: dict[str, int]) -> LanguageGuess:
    return LanguageGuess(normalise_code(article.code), 1.0 if counts["letters"] else 0.0, "article")


def _langdetect(text: str) -> LanguageGuess | None:
    # langdetect's answer, computed by ngramdetect (same arithmetic, a fraction of the time);
    # the factory's seed makes it the same on every run and thread.
    best = probabilities(_get_profiles(), text)
    if not best:
        return None
    code, probability = best[0]
    return LanguageGuess(normalise_code(code), round(probability, 4), "langdetect")


def _get_profiles() -> Profiles:
    """langdetect's profiles, read on first use; each n-gram's row is computed when a text
    first holds it (the same numbers as :func:`_get_factory`'s, a fraction of its start-up)."""
    global _profiles
    with _lock:
        if _profiles is None:
            from langdetect import detector_factory

            _profiles = Profiles(Path(detector_factory.PROFILES_DIRECTORY), _SEED)
        return _profiles


def _get_factory() -> DetectorFactory:
    """Profiles are loaded on first use (not on import) and in sorted order for reproducibility."""
    global _factory
    with _lock:
        if _factory is None:
            from langdetect import detector_factory

            profiles = Path(detector_factory.PROFILES_DIRECTORY)
            factory = detector_factory.DetectorFactory()
            factory.load_json_profile(
                [p.read_text(encoding="utf-8") for p in sorted(profiles.iterdir()) if p.is_file()]
            )
            factory.set_seed(_SEED)
            _factory = factory
        return _factory
