"""Which machine translations a reviewer should read first: the model's least confident.

A CTranslate2 model (an Argos package or another family) scores each output with its mean
log-probability per token. That score correlates with human judgement only moderately
(0.2–0.65 depending on the direction, Fomicheva et al., TACL 2020), so it orders review
and never decides anything: the ``low-confidence`` flag is a warning. A segment gets it
when its score is in the bottom decile of its language pair across the whole run, or
below the threshold its model was given (``l10n models add --threshold``, ``models set``).

Articles are translated in windows (:mod:`l10n.pipeline.run`); each window is flagged
against its own scores as it is translated (:func:`mark_low_confidence`), and once every
article is stored the run-level pass (:mod:`l10n.review.confidence_pass`) flags against
the whole run's, rewriting only the articles whose flags change. The message names the
pair and the score, never the window's cutoff, so both passes agree on a segment they
judge alike.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable

from l10n.models import ArticlePlan, MachineTranslation, Origin
from l10n.mt.engines.base import MissingModelError
from l10n.mt.translate import MTResults, PairEngines

DECILE = 0.1
MIN_SEGMENTS = 10
"""Fewer scored segments of a pair than this have no meaningful bottom decile."""

Threshold = Callable[[str, str], float | None]
"""A pair's model threshold (``models add``/``models set --threshold``), None where it has none."""


def decile_cutoff(scores: Iterable[float]) -> float | None:
    """The highest score of the bottom tenth (None below ``MIN_SEGMENTS`` scores)."""
    ordered = sorted(scores)
    if len(ordered) < MIN_SEGMENTS:
        return None
    return ordered[math.ceil(len(ordered) * DECILE) - 1]


def low_confidence_reason(
    score: float, pair: tuple[str, str], cutoff: float | None, limit: float | None
) -> str:
    """Why a segment scoring ``score`` is flagged (empty when it is not).

    ``cutoff`` is its pair's :func:`decile_cutoff`, ``limit`` its model's threshold.
    """
    source, target = pair
    reasons = []
    if cutoff is not None and score <= cutoff:
        reasons.append(f"score {score:.2f} is among the least confident tenth of {source}→{target}")
    if limit is not None and score < limit:
        reasons.append(f"score {score:.2f} is below the model's threshold {limit:g}")
    if not reasons:
        return ""
    return "; ".join(reasons) + " — read it first: the model's own score is a hint, not a verdict"


def engine_thresholds(engines: PairEngines) -> Threshold:
    """Each pair's model threshold, from the engine that translates it."""

    def threshold(source: str, target: str) -> float | None:
        found = getattr(engines.for_pair(source, target), "threshold", None)
        if not callable(found):
            return None
        try:
            value = found(source, target)
        except MissingModelError:  # no model for the pair: nothing to compare with
            return None
        return float(value) if isinstance(value, int | float) else None

    return threshold


def mark_low_confidence(
    plans: Iterable[ArticlePlan], machine: MTResults, engines: PairEngines
) -> int:
    """Set ``low_confidence`` on the least confident raw MT of each pair among ``plans``
    (one window of the run); returns how many."""
    by_pair: dict[tuple[str, str], list[MachineTranslation]] = defaultdict(list)
    for plan in plans:
        for lang, rows in machine.get(plan.article.id, {}).items():
            for seg, row in zip(plan.segments, rows, strict=False):
                if row.origin == Origin.MT and row.score is not None:
                    by_pair[(plan.source_lang(seg), lang)].append(row)
    threshold = engine_thresholds(engines)
    marked = 0
    for pair, rows in by_pair.items():
        cutoff = decile_cutoff(r.score for r in rows if r.score is not None)
        limit = threshold(*pair)
        for row in rows:
            assert row.score is not None
            row.low_confidence = low_confidence_reason(row.score, pair, cutoff, limit)
            marked += bool(row.low_confidence)
    return marked
