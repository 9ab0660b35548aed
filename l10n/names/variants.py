"""Unlisted variants of glossary names: corrected on strong evidence, flagged otherwise.

The glossary corrects a name only where MT wrote a form it lists; anything else it
reports as unresolved. For such an entry, the span of the segment that sounds most like
the entry's house form is looked at: where it reads exactly as the house form does (다까이치
for 다카이치, 石場茂 for 石破茂) it is replaced, with rule ``fuzzy-variant`` in the change
log; where it is only close (习近平 for 習近平) it is left alone and flagged
``name-inconsistent`` naming both forms. Nothing is changed silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from l10n.glossary.apply import apply_edits
from l10n.glossary.post_edit import Edit
from l10n.models import FlagCode, QAFlag, Severity, Translation
from l10n.names.finder import NameMention
from l10n.names.locate import Rendering, locate, spans
from l10n.names.romanize import romanize, skeleton
from l10n.text.normalize import normalize_for_matching

RULE = "fuzzy-variant"
WEAK = 0.6
"""Lowest similarity at which a span is reported as a possible variant."""
STRONG_LOOK = 0.75
"""A span sharing no character with the house form is reported only from this close."""
MIN_KEY = 4
"""Readings shorter than this are too little evidence to change anything."""


@dataclass(frozen=True)
class VariantFix:
    entry_id: str
    before: str
    after: str
    corrected: bool


def _strong(span: str, target: str) -> bool:
    key = skeleton(romanize(target))
    return len(key) >= MIN_KEY and skeleton(romanize(span)) == key and len(span) >= 2


def whole_rendering(rendering: Rendering, text: str, lang: str, target: str) -> Rendering:
    """The word-bounded span around a piece of a kanji run (习近平 around 近平), when it is
    no longer than the house form and one character."""
    for cuts in spans(text, lang):
        span = cuts[0]
        if (
            span.whole
            and span.start <= rendering.start
            and rendering.end <= span.end
            and len(span.text) <= len(target) + 1
        ):
            return replace(rendering, start=span.start, end=span.end, text=span.text)
    return rendering


def fix_variants(
    row: Translation,
    mentions: Sequence[NameMention],
    targets: dict[str, str],
) -> list[VariantFix]:
    """Correct or flag unlisted variants of the glossary names ``row`` left unresolved.

    ``mentions`` are the source segment's names, ``targets`` the house forms of the
    glossary entries in ``row.lang``.
    """
    todo = [m for m in mentions if m.glossary in row.unresolved and m.glossary in targets]
    if not todo:
        return []
    found = {
        r.mention.glossary: r
        for r in locate(mentions, row.final, row.lang, targets=targets, threshold=WEAK)
        if r.mention.glossary in row.unresolved
    }
    out: list[VariantFix] = []
    edits: list[tuple[Rendering, str]] = []
    for mention in todo:
        assert mention.glossary is not None
        rendering = found.get(mention.glossary)
        target = targets[mention.glossary]
        if rendering is None or rendering.text == target:
            continue
        if not set(rendering.text) & set(target) and rendering.score < STRONG_LOOK:
            continue
        if _strong(rendering.text, target):
            edits.append((rendering, mention.glossary))
            out.append(VariantFix(mention.glossary, rendering.text, target, True))
            continue
        rendering = whole_rendering(rendering, row.final, row.lang, target)
        row.flags.append(
            QAFlag(
                FlagCode.NAME_INCONSISTENT,
                f"{rendering.text!r} looks like an unlisted variant of {target!r} "
                f"({mention.glossary}) but does not read the same; left as it is — correct "
                "it, or add it to the entry's variants",
                Severity.WARNING,
                mention.glossary,
            )
        )
        out.append(VariantFix(mention.glossary, rendering.text, target, False))
    norm = normalize_for_matching(row.final)
    if edits and norm.identity:
        plan = [Edit(r.start, r.end, targets[entry_id], entry_id, RULE) for r, entry_id in edits]
        row.final = apply_edits(norm, plan, row.lang, row.segment, row.changes)
        fixed = {entry_id for _, entry_id in edits}
        row.unresolved = [e for e in row.unresolved if e not in fixed]
        row.flags = [
            f for f in row.flags if not (f.code == FlagCode.UNRESOLVED_TERM and f.entry_id in fixed)
        ]
    return out
