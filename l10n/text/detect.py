"""Source-language detection for articles and their paragraphs.

langdetect is random by design; a private, seeded detector factory makes the
same text give the same answer on every run and in every worker thread, and
a script count guards the CJK languages the pipeline cares most about.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from l10n.models import Article, LanguageGuess
from l10n.text.languages import normalise_code

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

MIN_LETTERS = 20
_SEED = 0
_factory: DetectorFactory | None = None
_lock = threading.Lock()


@dataclass
class ArticleLanguage:
    """The article's language (None when unknown) and a guess per body paragraph."""

    language: LanguageGuess | None
    paragraphs: list[LanguageGuess | None] = field(default_factory=list)
    reason: str | None = None


def detect_language(text: str) -> LanguageGuess | None:
    """Best guess for ``text``, or None when it is too short or langdetect gives up."""
    counts = _script_counts(text)
    if counts["letters"] < MIN_LETTERS:
        return None
    guess = _langdetect(text)
    by_script = _script_language(counts)
    if by_script is not None and (guess is None or guess.code != by_script):
        script = {"ko": "hangul", "ja": "kana", "zh": "han"}[by_script]
        share = counts[script] / counts["letters"]
        return LanguageGuess(by_script, round(max(share, 0.5), 4), "script")
    return guess


def detect_article(article: Article, override: str | None = None) -> ArticleLanguage:
    """Language of a whole article; an explicit or declared language wins over detection.

    Paragraphs are always detected so that mixed-language articles can be flagged.
    """
    paragraphs = [detect_language(p) for p in article.paragraphs]
    if override:
        return ArticleLanguage(LanguageGuess(normalise_code(override), 1.0, "override"), paragraphs)
    if article.lang_hint:
        declared = LanguageGuess(normalise_code(article.lang_hint), 1.0, "declared")
        return ArticleLanguage(declared, paragraphs)
    text = "\n\n".join([article.title, *article.paragraphs])
    letters = _script_counts(text)["letters"]
    if letters < MIN_LETTERS:
        reason = f"too short to detect ({letters} letters); pass --source-lang"
        return ArticleLanguage(None, paragraphs, reason)
    guess = detect_language(text)
    if guess is None:
        return ArticleLanguage(None, paragraphs, "language not recognised; pass --source-lang")
    return ArticleLanguage(guess, paragraphs)


def _script_counts(text: str) -> dict[str, int]:
    counts = {"letters": 0, "hangul": 0, "kana": 0, "han": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        counts["letters"] += 1
        name = unicodedata.name(ch, "")
        if name.startswith("HANGUL"):
            counts["hangul"] += 1
        elif name.startswith(("HIRAGANA", "KATAKANA")):
            counts["kana"] += 1
        elif name.startswith("CJK"):
            counts["han"] += 1
    return counts


def _script_language(counts: dict[str, int]) -> str | None:
    """Korean, Japanese and Chinese are told apart by script; langdetect confuses short ones."""
    if counts["hangul"] * 2 > counts["letters"]:
        return "ko"
    if counts["kana"] >= 3 and counts["kana"] > counts["hangul"]:
        return "ja"
    if counts["han"] * 2 > counts["letters"] and not counts["kana"] and not counts["hangul"]:
        return "zh"
    return None


def _langdetect(text: str) -> LanguageGuess | None:
    from langdetect.lang_detect_exception import LangDetectException

    factory = _get_factory()
    try:
        # Each detector owns its seeded random generator; only the factory is shared.
        detector = factory.create()
        detector.append(text)
        best = detector.get_probabilities()
    except LangDetectException:
        return None
    if not best:
        return None
    top = best[0]
    return LanguageGuess(normalise_code(top.lang), round(top.prob, 4), "langdetect")


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
