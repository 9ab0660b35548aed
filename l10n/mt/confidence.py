"""Which machine translations a reviewer should read first: the model's least confident.

A CTranslate2 family scores each output with its mean log-probability per token. That
score correlates with human judgement only moderately (0.2–0.65 depending on the
direction, Fomicheva et al., TACL 2020), so it orders review and never decides anything:
the ``low-confidence`` flag is a warning. A segment gets it when its score is in the
bottom decile of its language pair among the articles translated together (a window of
up to 40 articles; the whole run when it is smaller), or below the threshold its model was
registered with (``l10n models add --threshold``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from l10n.models import ArticlePlan, MachineTranslation, Origin
from l10n.mt.translate import MTResults, PairEngines

DECILE = 0.1
MIN_SEGMENTS = 10
"""Fewer scored segments of a pair than this have no meaningful bottom decile."""


def decile_cutoff(scores: Iterable[float]) -> float | None:
    """The highest score of the bottom tenth (None below ``MIN_SEGMENTS`` scores)."""
    ordered = sorted(scores)
    if len(ordered) < MIN_SEGMENTS:
        return None
    return ordered[math.ceil(len(ordered) * DECILE) - 1]


def mark_low_confidence(
    plans: Iterable[ArticlePlan], machine: MTResults, engines: PairEngines
) -> int:
    """Set ``low_confidence`` on the least confident raw MT of each pair; returns how many."""
    by_pair: dict[tuple[str, str], list[MachineTranslation]] = defaultdict(list)
    for plan in plans:
        for lang, rows in machine.get(plan.article.id, {}).items():
            for seg, row in zip(plan.segments, rows, strict=False):
                if row.origin == Origin.MT and row.score is not None:
                    by_pair[(plan.source_lang(seg), lang)].append(row)
    marked = 0
    for (source, target), rows in by_pair.items():
        cutoff = decile_cutoff(r.score for r in rows if r.score is not None)
        threshold = getattr(engines.for_pair(source, target), "threshold", None)
        limit = threshold(source, target) if callable(threshold) else None
        for row in rows:
            assert row.score is not None
            reasons = []
            if cutoff is not None and row.score <= cutoff:
                reasons.append(
                    f"among the least confident tenth of {source}→{target} here "
                    f"(score {row.score:.2f} ≤ {cutoff:.2f})"
                )
            if limit is not None and row.score < limit:
                reasons.append(f"score {row.score:.2f} is below the model's threshold {limit:g}")
            if reasons:
                row.low_confidence = (
                    "; ".join(reasons) + " — read it first: the model's own score is a hint, "
                    "not a verdict"
                )
                marked += 1
    return marked
