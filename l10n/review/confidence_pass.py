"""The run-level low-confidence pass: the bottom decile of each pair across the whole run.

Each window of a run flags its least confident segments as it is translated
(:func:`l10n.mt.confidence.mark_low_confidence`); a window holds at most 40 articles, so
its bottom tenth is not the run's. Once every article is stored (resumed ones included),
this pass reads the scores the run stored, finds each pair's bottom decile over all of
them and sets the ``low-confidence`` flags to match: only the articles whose flags change
are written again, through the run package, with their review decisions as they were.
A run started again recomputes the flags over everything it then holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from l10n.models import ArticleOutcome, FlagCode, Origin, QAFlag, Status, TranslatedArticle
from l10n.mt.confidence import Threshold, decile_cutoff, low_confidence_reason
from l10n.review.files import store_rewritten
from l10n.run.store import Run

LOW_CONFIDENCE = FlagCode.LOW_CONFIDENCE
Pair = tuple[str, str]
Where = tuple[str, str, int]
"""(article id, target language, segment index)."""


@dataclass
class ConfidencePassReport:
    """What the pass found: scored segments per pair, segments flagged, articles rewritten."""

    scored: dict[Pair, int] = field(default_factory=dict)
    flagged: int = 0
    rewritten: list[str] = field(default_factory=list)


@dataclass
class _Seen:
    pair: Pair
    score: float
    current: str
    """The segment's low-confidence message as stored (empty: not flagged)."""


@dataclass
class ArticleScores:
    """An article's scored segments and whether it holds a stale flag, as it is stored: what
    the pass reads of it, taken where the article was just written."""

    seen: dict[Where, _Seen]
    stale: bool


def scores_of(translated: TranslatedArticle) -> ArticleScores:
    seen = _scored_rows(translated)
    return ArticleScores(seen, _flagged_elsewhere(translated, seen))


def _scored_rows(translated: TranslatedArticle) -> dict[Where, _Seen]:
    plan = translated.plan
    seen: dict[Where, _Seen] = {}
    for lang, rows in translated.translations.items():
        for row in rows:
            if row.score is None or row.origin != Origin.MT or row.segment >= len(plan.segments):
                continue
            pair = (plan.source_lang(plan.segments[row.segment]), lang)
            current = next((f.message for f in row.flags if f.code == LOW_CONFIDENCE), "")
            seen[(translated.id, lang, row.segment)] = _Seen(pair, row.score, current)
    return seen


def _flagged_elsewhere(translated: TranslatedArticle, scored: dict[Where, _Seen]) -> bool:
    """A low-confidence flag on a segment that now has no score (left from before): stale."""
    return any(
        f.code == LOW_CONFIDENCE and (translated.id, lang, row.segment) not in scored
        for lang, rows in translated.translations.items()
        for row in rows
        for f in row.flags
    )


def mark_run_low_confidence(
    run: Run,
    outcomes: list[ArticleOutcome],
    threshold: Threshold,
    known: Mapping[str, ArticleScores] | None = None,
) -> ConfidencePassReport:
    """Flag each pair's bottom decile over the stored run, and scores below ``threshold``.

    ``outcomes`` (the run summary's) are updated in place for the articles rewritten. The
    articles in ``known`` (stored by this run, as :func:`scores_of` found them then) are
    read only when their flags change.
    """
    report = ConfidencePassReport()
    seen: dict[Where, _Seen] = {}
    stale: set[str] = set()
    done = [o.id for o in outcomes if o.status == Status.DONE]
    for article_id in done:
        scores = (known or {}).get(article_id) or scores_of(run.read_article(article_id))
        seen.update(scores.seen)
        if scores.stale:
            stale.add(article_id)
    by_pair: dict[Pair, list[float]] = defaultdict(list)
    for item in seen.values():
        by_pair[item.pair].append(item.score)
    cutoffs = {pair: decile_cutoff(scores) for pair, scores in by_pair.items()}
    limits = {pair: threshold(*pair) for pair in by_pair}
    report.scored = {pair: len(scores) for pair, scores in sorted(by_pair.items())}
    wanted: dict[Where, str] = {}
    touched = set(stale)
    for where, item in seen.items():
        reason = low_confidence_reason(item.score, item.pair, cutoffs[item.pair], limits[item.pair])
        wanted[where] = reason
        report.flagged += bool(reason)
        if reason != item.current:
            touched.add(where[0])
    for article_id in done:
        if article_id not in touched:
            continue
        translated = run.read_article(article_id)
        _set_flags(translated, wanted)
        store_rewritten(run, translated, outcomes)
        report.rewritten.append(article_id)
    return report


def _set_flags(translated: TranslatedArticle, wanted: dict[Where, str]) -> None:
    """Give each segment the run's verdict; a flag that stays keeps its place, a new one goes
    first (where the correction stage puts it)."""
    for lang, rows in translated.translations.items():
        for row in rows:
            reason = wanted.get((translated.id, lang, row.segment), "")
            current = next((f.message for f in row.flags if f.code == LOW_CONFIDENCE), "")
            if reason == current:
                continue
            if current and reason:
                row.flags = [
                    QAFlag(LOW_CONFIDENCE, reason) if f.code == LOW_CONFIDENCE else f
                    for f in row.flags
                ]
            elif current:
                row.flags = [f for f in row.flags if f.code != LOW_CONFIDENCE]
            else:
                row.flags.insert(0, QAFlag(LOW_CONFIDENCE, reason))
