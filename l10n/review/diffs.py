"""What the glossary changed, as diffs a person (or ``patch``) can read.

Japanese and Korean have no spaces between words, so a word diff would mark whole
clauses; :func:`char_diff` compares characters, and both the terminal review and the HTML
report draw their highlighting from it (or, for the glossary's own edits, from its change
log, which is exact and linear on segments of any length).
"""

from __future__ import annotations

import difflib
from typing import Literal

from l10n.models import GlossaryChange, TranslatedArticle, Translation
from l10n.run import layout

DiffOp = Literal["equal", "delete", "insert"]
Ops = list[tuple[DiffOp, str]]

CHAR_DIFF_LIMIT = 4000
"""Longest middle part (characters, each side) compared character by character."""


def translation_diff(translation: Translation) -> Ops:
    """What changed from raw MT to the corrected text of one segment.

    The glossary's change log says exactly where it edited, so it is replayed (linear in
    the text, however long); other edits (a reviewer's) fall back to :func:`char_diff`.
    """
    if translation.changes:
        ops = _replay(translation.mt, translation.changes)
        if ops is not None and _sides(ops) == (translation.mt, translation.final):
            return ops
    return char_diff(translation.mt, translation.final)


def char_diff(a: str, b: str) -> Ops:
    """Character-level edit script from ``a`` to ``b``.

    A replacement becomes a delete followed by an insert, so renderers only know three
    operations; adjacent runs of the same operation are merged. The common ends are cut
    off first; a middle longer than :data:`CHAR_DIFF_LIMIT` on either side is shown as
    one replacement rather than compared in quadratic time.
    """
    ops: Ops = []
    prefix = _common_prefix(a, b)
    suffix = _common_prefix(a[prefix:][::-1], b[prefix:][::-1])
    _push(ops, "equal", a[:prefix])
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    if max(len(middle_a), len(middle_b)) <= CHAR_DIFF_LIMIT:
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                _push(ops, "equal", middle_a[i1:i2])
            else:
                _push(ops, "delete", middle_a[i1:i2])
                _push(ops, "insert", middle_b[j1:j2])
    else:
        _push(ops, "delete", middle_a)
        _push(ops, "insert", middle_b)
    _push(ops, "equal", a[len(a) - suffix :])
    return ops


def _push(ops: Ops, op: DiffOp, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == op:
        ops[-1] = (op, ops[-1][1] + text)
    else:
        ops.append((op, text))


def _sides(ops: Ops) -> tuple[str, str]:
    before = "".join(t for op, t in ops if op != "insert")
    after = "".join(t for op, t in ops if op != "delete")
    return before, after


def _replay(text: str, changes: list[GlossaryChange]) -> Ops | None:
    """Edit script from replaying a change log; None when the log does not fit the text.

    Changes are applied in order, each at offsets of the text as it then was. Within one
    pass of the glossary they move left to right, so each pass is one sweep.
    """
    pieces: Ops = [("equal", text)] if text else []
    batch: list[GlossaryChange] = []
    for change in changes:
        if batch and change.start < batch[-1].end + len(batch[-1].after) - len(batch[-1].before):
            swept = _sweep(pieces, batch)
            if swept is None:
                return None
            pieces = swept
            batch = []
        batch.append(change)
    return _sweep(pieces, batch) if batch else pieces


def _sweep(pieces: Ops, changes: list[GlossaryChange]) -> Ops | None:
    """Apply left-to-right changes (offsets in the new side, shifting as they apply)."""
    out: Ops = []
    queue = list(reversed(pieces))
    new_pos = 0  # position in the new side of what has been emitted
    shift = 0
    for change in changes:
        start, end = change.start - shift, change.end - shift
        if start < new_pos:
            return None
        while queue and new_pos < start:  # copy what lies before the change
            op, piece = queue.pop()
            if op == "delete":
                _push(out, op, piece)
                continue
            take = min(len(piece), start - new_pos)
            _push(out, op, piece[:take])
            new_pos += take
            if take < len(piece):
                queue.append((op, piece[take:]))
        if new_pos != start:
            return None
        removed: list[str] = []
        while queue and new_pos < end:  # the replaced stretch: equal → delete, insert → gone
            op, piece = queue.pop()
            if op == "delete":
                _push(out, op, piece)
                continue
            take = min(len(piece), end - new_pos)
            if op == "equal":
                _push(out, "delete", piece[:take])
            removed.append(piece[:take])
            new_pos += take
            if take < len(piece):
                queue.append((op, piece[take:]))
        if "".join(removed) != change.before:
            return None
        _push(out, "insert", change.after)
        shift += len(change.after) - len(change.before)
    while queue:
        op, piece = queue.pop()
        _push(out, op, piece)
    return out


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, found by halving (string compares run in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def segment_diff(lang: str, mt_lines: list[str], final_lines: list[str]) -> str:
    """Unified diff of raw MT against the corrected text, one segment per line."""
    return "".join(
        difflib.unified_diff(
            [_one_line(line) + "\n" for line in mt_lines],
            [_one_line(line) + "\n" for line in final_lines],
            fromfile=f"a/{lang}.mt",
            tofile=f"b/{lang}",
            n=1,
        )
    )


def render_diffs(translated: TranslatedArticle) -> dict[str, bytes]:
    """``<lang>.diff`` for every target of the article (empty when nothing changed)."""
    return {
        layout.diff_file(lang): segment_diff(
            lang, [t.mt for t in rows], [t.final for t in rows]
        ).encode("utf-8")
        for lang, rows in translated.translations.items()
    }


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
