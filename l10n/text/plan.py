"""Deciding what happens to each article: translate, copy through, or skip (and why).

A paragraph written in another language than its article (a quoted post, a foreign
quote) keeps its own language: its segments are translated from that language, or
copied when it already is the target language.

An article whose input fixed its segments (``Article.units``) keeps them: the trans-units
of an XLIFF file always, the title and paragraphs of an input with its own translations
when those cover every target that needs one (the article is then ``provided``: its
translations come from the input, aligned unit by unit). Otherwise sentences are split here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from l10n.models import Action, Article, ArticlePlan, LanguageGuess, Segment
from l10n.text.detect import detect_article, paragraph_is_foreign
from l10n.text.segment import segment_article


def foreign_language(paragraph: LanguageGuess | None, article: LanguageGuess) -> str | None:
    """The paragraph's own language when detection says it is not the article's."""
    return paragraph.code if paragraph and paragraph_is_foreign(article, paragraph) else None


def segment_plan(
    article: Article, language: LanguageGuess, paragraph_languages: list[LanguageGuess | None]
) -> list[Segment]:
    """The title then each paragraph's sentences, a foreign paragraph in its own language."""
    own = [foreign_language(guess, language) for guess in paragraph_languages]
    return segment_article(article, language.code, own)


def unit_plan(
    article: Article, language: LanguageGuess, paragraph_languages: list[LanguageGuess | None]
) -> list[Segment]:
    """One segment per unit of the input, in the paragraph's own language."""
    segments: list[Segment] = []
    for unit in article.units:
        number = unit.paragraph
        guess = paragraph_languages[number] if 0 <= number < len(paragraph_languages) else None
        own = foreign_language(guess, language)
        segments.append(
            Segment(article.id, len(segments), unit.paragraph, unit.text, own, unit.inline)
        )
    return segments


def needs_translation(
    segments: list[Segment], language: LanguageGuess, targets: list[str]
) -> set[str]:
    """Targets that some segment is not already written in."""
    return {t for t in targets for seg in segments if (seg.lang or language.code) != t}


def plan_article(
    article: Article,
    language: LanguageGuess | None,
    targets: list[str],
    *,
    paragraph_languages: list[LanguageGuess | None] | None = None,
    reason: str | None = None,
) -> ArticlePlan:
    plan = ArticlePlan(article, language, list(paragraph_languages or []))
    if language is None:
        plan.skip_reason = reason or "language could not be detected; pass --source-lang"
        return plan
    if article.units:
        units = unit_plan(article, language, plan.paragraph_languages)
        needed = needs_translation(units, language, targets)
        plan.provided = bool(needed) and needed <= article.provided_languages()
        if plan.provided or article.keep_units:
            plan.segments = units
    if not plan.segments:
        plan.segments = segment_plan(article, language, plan.paragraph_languages)
    if not plan.segments:
        plan.skip_reason = "no text left after cleaning"
        return plan
    plan.actions = {t: (Action.COPY if t == language.code else Action.TRANSLATE) for t in targets}
    return plan


def plan_articles(
    articles: Iterable[Article], targets: list[str], source_lang: str | None = None
) -> list[ArticlePlan]:
    """Detect each article's language (unless given) and plan it, timing both steps."""
    plans = []
    for article in articles:
        started = time.perf_counter()
        detected = detect_article(article, override=source_lang)
        detected_at = time.perf_counter()
        plan = plan_article(
            article,
            detected.language,
            targets,
            paragraph_languages=detected.paragraphs,
            reason=detected.reason,
        )
        plan.timings = {
            "detect": detected_at - started,
            "segment": time.perf_counter() - detected_at,
        }
        plans.append(plan)
    return plans


def segment_pairs(plan: ArticlePlan) -> dict[tuple[str, str], int]:
    """Segments to machine-translate per (source, target) pair (none for a provided article)."""
    pairs: dict[tuple[str, str], int] = {}
    if plan.language is None or plan.skipped or plan.provided:
        return pairs
    for segment in plan.segments:
        source = plan.source_lang(segment)
        for target in plan.actions:
            if source != target:
                pairs[(source, target)] = pairs.get((source, target), 0) + 1
    return pairs


def language_pairs(plans: Iterable[ArticlePlan]) -> set[tuple[str, str]]:
    """The (source, target) pairs the engine must handle for these plans."""
    return {pair for plan in plans for pair in segment_pairs(plan)}
