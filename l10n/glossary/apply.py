"""Applying edits found on normalised text to the original text, with an audit log.

Edits are found on :class:`~l10n.text.normalize.NormalizedText` and mapped back, so
the original bytes outside a corrected name never change. In Korean, each replaced
name re-chooses the particle after it. Every change is logged with offsets in the text
as it was when the change was made, so replaying the log on the raw MT reproduces the
final text (:func:`apply_changes`).
"""

from __future__ import annotations

from l10n.glossary.korean_particles import repair
from l10n.glossary.post_edit import Edit
from l10n.models import GlossaryChange
from l10n.text.normalize import NormalizedText

NAME_RULES_WITHOUT_PARTICLE = frozenset({"placeholder-duplicate", "normalized"})


def with_particles(norm: str, edits: list[Edit], lang: str) -> list[Edit]:
    """``edits`` plus, in Korean, the particle repair after each replaced name."""
    if lang != "ko":
        return edits
    out: list[Edit] = []
    for index, edit in enumerate(edits):
        out.append(edit)
        if not edit.after or edit.rule in NAME_RULES_WITHOUT_PARTICLE:
            continue
        fix = repair(edit.after, norm, edit.end)
        if fix is None:
            continue
        start, end, right = fix
        limit = edits[index + 1].start if index + 1 < len(edits) else len(norm)
        if end > limit:
            continue
        out.append(Edit(start, end, right, edit.entry_id, "ko-particle"))
    return out


def apply_edits(
    norm: NormalizedText,
    edits: list[Edit],
    lang: str,
    segment: int,
    changes: list[GlossaryChange],
) -> str:
    """Apply ``edits`` (normalised offsets) to ``norm.original``; log each change."""
    text = norm.original
    shift = 0
    last_end = -1
    for edit in sorted(with_particles(norm.text, edits, lang), key=lambda e: (e.start, e.end)):
        if edit.end > edit.start:
            start, end = norm.span(edit.start, edit.end)
        else:
            start = end = norm.position(edit.start)
        if start < last_end:
            continue
        before = norm.original[start:end]
        if before == edit.after:
            continue
        last_end = end
        at = start + shift
        text = text[:at] + edit.after + text[at + (end - start) :]
        changes.append(
            GlossaryChange(
                segment, edit.entry_id, before, edit.after, at, at + end - start, edit.rule
            )
        )
        shift += len(edit.after) - (end - start)
    return text


def apply_changes(text: str, changes: list[GlossaryChange]) -> str:
    """Replay a change log on the raw MT; the audit trail must reproduce the final text."""
    for change in changes:
        if text[change.start : change.end] != change.before:
            raise ValueError(
                f"change {change.rule} of {change.entry_id!r} expects {change.before!r} at "
                f"{change.start}, found {text[change.start : change.end]!r}"
            )
        text = text[: change.start] + change.after + text[change.end :]
    return text
