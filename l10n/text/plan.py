"""Deciding what happens to each article: translate, copy through, or skip (and why)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from l10n.models import Article, LanguageGuess, Segment
from l10n.text.detect import detect_article
from l10n.text.segment import segment_article


@dataclass
class ArticlePlan:
    """An article with its language, its segments and, per target, what to do.

    ``actions`` maps a target language to ``"translate"`` or ``"copy"`` (the
    article is already in that language). A skipped article has ``skip_reason``.
    """

    article: Article
    language: LanguageGuess | None
    paragraph_languages: list[LanguageGuess | None] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    actions: dict[str, str] = field(default_factory=dict)
    skip_reason: str | None = None

    @property
    def skipped(self) -> bool:
        return self.skip_reason is not None

    def context_before(self, index: int) -> str:
        """Source text of the article before segment ``index`` (short forms need it)."""
        return "\n".join(s.text for s in self.segments[:index])


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
    plan.segments = segment_article(article, language.code)
    if not plan.segments:
        plan.skip_reason = "no text left after cleaning"
        return plan
    plan.actions = {t: ("copy" if t == language.code else "translate") for t in targets}
    return plan


def plan_articles(
    articles: list[Article], targets: list[str], source_lang: str | None = None
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


def language_pairs(plans: list[ArticlePlan]) -> set[tuple[str, str]]:
    """The (source, target) pairs the engine must handle for these plans."""
    return {
        (plan.language.code, lang)
        for plan in plans
        if plan.language is not None
        for lang, action in plan.actions.items()
        if action == "translate"
    }
