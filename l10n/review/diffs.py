"""What the glossary changed, as diffs a person (or ``patch``) can read.

Japanese and Korean have no spaces between words, so a word diff would mark whole
clauses; :func:`char_diff` compares characters, and both the terminal review and the HTML
report draw their highlighting from it. Its cost stays bounded on very long segments: the
common ends are cut off first, and a long middle is compared word by word.
"""

from __future__ import annotations

import difflib
import re
from typing import Literal

from l10n.models import TranslatedArticle
from l10n.run import layout

DiffOp = Literal["equal", "delete", "insert"]

CHAR_DIFF_LIMIT = 4000
"""Longest middle part (characters, each side) compared character by character."""

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def char_diff(a: str, b: str) -> list[tuple[DiffOp, str]]:
    """Character-level edit script from ``a`` to ``b``.

    A replacement becomes a delete followed by an insert, so renderers only know three
    operations; adjacent runs of the same operation are merged.
    """
    ops: list[tuple[DiffOp, str]] = []

    def push(op: DiffOp, text: str) -> None:
        if not text:
            return
        if ops and ops[-1][0] == op:
            ops[-1] = (op, ops[-1][1] + text)
        else:
            ops.append((op, text))

    prefix = _common_prefix(a, b)
    suffix = _common_prefix(a[prefix:][::-1], b[prefix:][::-1])
    push("equal", a[:prefix])
    _diff_middle(a[prefix : len(a) - suffix], b[prefix : len(b) - suffix], push)
    push("equal", a[len(a) - suffix :])
    return ops


def _diff_middle(a: str, b: str, push) -> None:
    if max(len(a), len(b)) <= CHAR_DIFF_LIMIT:
        _opcodes(a, b, push)
        return
    # Long text: compare words, then characters inside short replaced stretches only.
    ta, tb = _TOKEN_RE.findall(a), _TOKEN_RE.findall(b)
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=True)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = "".join(ta[i1:i2]), "".join(tb[j1:j2])
        if tag == "equal":
            push("equal", left)
        elif max(len(left), len(right)) <= CHAR_DIFF_LIMIT // 4:
            _opcodes(left, right, push)
        else:
            push("delete", left)
            push("insert", right)


def _opcodes(a: str, b: str, push) -> None:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", a[i1:i2])
        else:
            push("delete", a[i1:i2])
            push("insert", b[j1:j2])


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
