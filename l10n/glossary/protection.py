"""The protect strategy: names swapped for placeholders before MT, restored after it.

Slots are numbered above every bracketed number already in the source (see
:mod:`l10n.text.placeholders`), so a literal ``⟦1⟧`` or footnote ``[1]`` in the
source is neither restored as a name nor reported as a stray placeholder.
"""

from __future__ import annotations

import re

from l10n.glossary.post_edit import Edit
from l10n.glossary.targets import LangTable
from l10n.models import FlagCode, Protection, QAFlag, Severity
from l10n.text.placeholders import MANGLED_RE, PLACEHOLDER_RE


def restore_edits(
    text: str,
    protection: Protection,
    table: LangTable,
    flags: list[QAFlag],
    literal: set[int],
) -> list[Edit]:
    """Edits restoring placeholders; duplicates are dropped, mangled ones restored, lost ones
    left to the post-edit pass (which finds them as variants or reports them unresolved).

    ``literal`` holds numbers of ``⟦n⟧`` that the source itself contains: left alone.
    """
    slots = {slot.number: slot for slot in protection.slots if slot.entry_id in table.targets}
    exact: dict[int, list[re.Match[str]]] = {}
    for match in PLACEHOLDER_RE.finditer(text):
        exact.setdefault(int(match.group(1)), []).append(match)
    edits: list[Edit] = []
    for number, matches in exact.items():
        slot = slots.get(number)
        if slot is None:
            if number not in literal:
                flags.append(
                    QAFlag(
                        FlagCode.PLACEHOLDER_UNKNOWN,
                        f"MT output contains {matches[0].group(0)} that the source never had",
                        Severity.ERROR,
                    )
                )
            continue
        target = table.targets[slot.entry_id]
        first = matches[0]
        edits.append(Edit(first.start(), first.end(), target, slot.entry_id, "placeholder"))
        for extra in matches[1:]:
            edits.append(
                Edit(extra.start(), extra.end(), "", slot.entry_id, "placeholder-duplicate")
            )
        if len(matches) > 1:
            flags.append(
                QAFlag(
                    FlagCode.PLACEHOLDER_DUPLICATED,
                    f"MT repeated the placeholder for {slot.surface!r}; extra copies removed",
                    Severity.WARNING,
                    slot.entry_id,
                )
            )
    lost = [n for n in slots if n not in exact]
    if lost:
        taken = [(e.start, e.end) for e in edits]
        for match in MANGLED_RE.finditer(text):
            number = int(next(g for g in match.groups() if g is not None))
            if number not in lost or any(match.start() < b and a < match.end() for a, b in taken):
                continue
            slot = slots[number]
            lost.remove(number)
            taken.append((match.start(), match.end()))
            edits.append(
                Edit(
                    match.start(),
                    match.end(),
                    table.targets[slot.entry_id],
                    slot.entry_id,
                    "placeholder-mangled",
                )
            )
            flags.append(
                QAFlag(
                    FlagCode.PLACEHOLDER_MANGLED,
                    f"MT altered the placeholder for {slot.surface!r}; restored the name",
                    Severity.WARNING,
                    slot.entry_id,
                )
            )
    edits.sort(key=lambda e: e.start)
    return edits
