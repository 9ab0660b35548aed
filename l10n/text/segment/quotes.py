"""Quotations and brackets in Latin-script text: the stretches a sentence end may not split.

A quotation is kept whole with the sentence that quotes it ("We will rebuild. We will not
leave," the mayor said.), as the Japanese rules keep 「…。」と述べた whole: the attribution stays
with its quote, each segment's quotation marks balance, and the translation can move the
attribution where the target language puts it. Brackets are kept whole the same way
("(see p. 5. Other…)", "[16: firma? 13:28]").

Straight quotes are read by their sides: ``"`` or ``'`` after a space and before a word opens,
one after a word closes, and an apostrophe between letters ("they'll", "dragon’s") is neither.
A quotation left open protects nothing (news continues a quotation into the next paragraph
without closing it), a second opening straight quote replaces an unclosed first, no span
crosses a line break, and a span longer than ``MAX_SPAN`` characters is not protected, so a
stray mark cannot turn a paragraph into one segment.
"""

from __future__ import annotations

import re

MAX_SPAN = 400
"""Longest quotation or bracket kept whole, in characters (about 70 words)."""

_MARKS = re.compile("[\"'`“”‘’«»()\\[\\]\r\n]")
_BRACKETS = {"(": ")", "[": "]", "“": "”", "«": "»", "‘": "’", "`": "'"}
_CLOSING = frozenset(_BRACKETS.values())
_OPEN_BEFORE = frozenset(" \t\u00a0\n([{“‘«—–-/\"'")
"""What may stand before an opening straight quote (besides the start of the text)."""
TRIGGER = re.compile("[\"'`“‘«(\\[]")
"""Characters without which a text has no span (a quick test before the scan)."""


def spans(text: str) -> list[tuple[int, int]]:
    """(opening mark, closing mark) index pairs of the quotations and brackets in ``text``."""
    found: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (the closing mark awaited, where the opener stands)
    for match in _MARKS.finditer(text):
        i, ch = match.start(), match.group()
        if ch in "\r\n":
            stack.clear()
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch in _BRACKETS:
            if ch == "‘" and prev.isalnum():
                continue
            stack.append((_BRACKETS[ch], i))
        elif ch == "'" and stack and stack[-1][0] == "'" and text[stack[-1][1]] == "`":
            _close(stack, ch, i, found)  # `So what?' (a grave accent opens, an apostrophe closes)
        elif ch in _CLOSING and ch != "'":
            if ch == "’" and (nxt.isalpha() or prev.isspace()):
                continue  # an apostrophe: "dragon’s", "’90s"
            _close(stack, ch, i, found)
        else:
            _straight(text, ch, i, prev, nxt, stack, found)
    return found


def _straight(
    text: str,
    ch: str,
    i: int,
    prev: str,
    nxt: str,
    stack: list[tuple[str, int]],
    found: list[tuple[int, int]],
) -> None:
    opens = (i == 0 or prev in _OPEN_BEFORE) and not nxt.isspace()
    if ch == "'":
        if prev.isalnum() and nxt.isalpha():
            return  # "they'll", "Alice's"
        opens = opens and nxt.isalpha()
    closes = not prev.isspace() and i > 0 and not nxt.isalnum()
    open_at = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == ch), None)
    if open_at is not None and closes:
        _close(stack, ch, i, found)
    elif opens:
        if open_at is not None:
            del stack[open_at:]  # the first was never closed: a quotation carried on
        stack.append((ch, i))


def _close(stack: list[tuple[str, int]], ch: str, i: int, found: list[tuple[int, int]]) -> None:
    """Close the innermost opener awaiting ``ch`` (and the unclosed ones inside it)."""
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] == ch:
            start = stack[depth][1]
            del stack[depth:]
            if i - start <= MAX_SPAN:
                found.append((start, i))
            return


def inside(found: list[tuple[int, int]], cut: int) -> bool:
    """Whether a cut before index ``cut`` would split one of ``found``."""
    return any(start < cut <= end for start, end in found)


def closing_at(found: list[tuple[int, int]], end: int) -> int | None:
    """The opener of the span whose closing mark stands at ``end``, if any."""
    for start, stop in found:
        if stop == end:
            return start
    return None
