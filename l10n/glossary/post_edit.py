"""Post-editing MT output: replace wrong renderings of the names the source mentions.

Enforcement is anchored on the source: a target sentence is corrected only for
entries its source sentence mentions, and only as many times as the source
mentions them, so a word that merely looks like a variant (나라 "country",
リー in リーダー "leader") is left alone.

A wrong form that is also another entry's house form (광주: Gwangju's, and what
engines write for Guangzhou) is decided by the source: when the source names both,
the n-th occurrence in the MT stands for the n-th mention in the source if the counts
agree; otherwise nothing is changed and the form is reported as ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from l10n.glossary.target_rules import find_words, fits
from l10n.glossary.targets import LangTable


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``after``, on behalf of ``entry_id``."""

    start: int
    end: int
    after: str
    entry_id: str
    rule: str


@dataclass
class PostEditPlan:
    """The edits to make, targets already present, and what could not be resolved."""

    edits: list[Edit] = field(default_factory=list)
    present: list[tuple[int, int, str]] = field(default_factory=list)
    """Spans where an entry's target already stands: (start, end, entry id)."""
    missing: dict[str, int] = field(default_factory=dict)
    ambiguous: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    """(form, entry ids) where a form could stand for several mentioned entries."""


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in spans)


def plan_post_edits(text: str, order: list[str], table: LangTable) -> PostEditPlan:
    """Edits for the entries mentioned (``order``: entry ids in source order, repeated)."""
    plan = PostEditPlan()
    if not order:
        return plan
    wanted: dict[str, int] = {}
    for entry_id in order:
        wanted[entry_id] = wanted.get(entry_id, 0) + 1
    targets = table.targets
    occupied: list[tuple[int, int]] = []
    target_spans: dict[str, list[tuple[int, int]]] = {}
    found: dict[str, int] = dict.fromkeys(wanted, 0)
    distinct = {targets[i] for i in wanted}
    for target in sorted(distinct, key=len, reverse=True) if len(distinct) > 1 else distinct:
        spans = find_words(text, (target,))
        if occupied:
            spans = [s for s in spans if not _overlaps(s[0], s[1], occupied)]
        occupied.extend(spans)
        target_spans[target] = spans
        sharing = [i for i in order if targets[i] == target]
        for index, (start, end) in enumerate(spans):
            plan.present.append((start, end, sharing[min(index, len(sharing) - 1)]))
        for entry_id in sharing[: len(spans)]:
            found[entry_id] += 1
    missing = {i: n - found[i] for i, n in wanted.items() if n > found[i]}
    if not missing:
        return plan
    for entry_id in [i for i in dict.fromkeys(order) if i in missing]:
        forms = table.forms(entry_id)
        for form in forms.shared:
            if form in target_spans:
                _decide_shared(
                    plan, order, table, entry_id, form, target_spans[form], missing, found
                )
    candidates: list[tuple[int, int, str]] = []
    for entry_id, count in missing.items():
        if count <= 0:
            continue
        forms = table.forms(entry_id)
        for start, end in find_words(text, forms.wrong):
            if _overlaps(start, end, occupied) or not fits(text, start, end, forms.target):
                continue
            candidates.append((start, end, entry_id))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken: list[tuple[int, int]] = [(e.start, e.end) for e in plan.edits]
    for start, end, entry_id in candidates:
        if missing[entry_id] <= 0 or _overlaps(start, end, taken):
            continue
        missing[entry_id] -= 1
        taken.append((start, end))
        forms = table.forms(entry_id)
        plan.edits.append(Edit(start, end, forms.target, entry_id, forms.rules[text[start:end]]))
    plan.edits.sort(key=lambda e: e.start)
    plan.missing = {i: n for i, n in missing.items() if n > 0}
    return plan


def _decide_shared(
    plan: PostEditPlan,
    order: list[str],
    table: LangTable,
    entry_id: str,
    form: str,
    spans: list[tuple[int, int]],
    missing: dict[str, int],
    found: dict[str, int],
) -> None:
    """``form`` is both a wrong form of ``entry_id`` and the target of another mentioned entry."""
    owners = set(table.by_target[form])
    claimants = [i for i in order if i in owners or i == entry_id]
    if len(spans) <= sum(1 for i in claimants if i in owners):
        return
    target = table.forms(entry_id).target
    if found[entry_id] == 0 and len(spans) == len(claimants):
        plan.present = [p for p in plan.present if (p[0], p[1]) not in spans]
        for (start, end), claimant in zip(spans, claimants, strict=True):
            if claimant == entry_id:
                plan.edits.append(Edit(start, end, target, entry_id, "source-order"))
            else:
                plan.present.append((start, end, claimant))
        missing[entry_id] = 0
        return
    plan.ambiguous.append((form, tuple(dict.fromkeys([*sorted(owners), entry_id]))))
    missing[entry_id] = 0
