"""Punctuation shared by every language's rules: quotes and brackets, bullets, list markers,
line breaks, and the spans of text inside quotation marks or brackets."""

from __future__ import annotations

import re

# Opening mark → its closing mark. Straight double quotes open and close alike.
PAIRS: dict[str, str] = {
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "“": "”",
    "‘": "’",
    "【": "】",
    "《": "》",
    "〈": "〉",
    "［": "］",
    "[": "]",
    "〔": "〕",
    "｛": "｝",
    "«": "»",
    '"': '"',
    "＂": "＂",
}
OPENERS = "\"'“‘«「『（(【〔《〈［[｛¿¡"
CLOSERS = "\"'”’»」』）)】〕》〉］]｝"
CLOSERS_CLASS = "[" + re.escape(CLOSERS) + "]"
BULLETS = "•‣⁃◦▪●■◆►▶"
"""Marks that start a list item wherever they follow a space (not ▲/△: Korean news writes
inline lists with them inside one sentence)."""
FINAL_CHARS = ".!?…。｡！？‼⁇⁈⁉؟।" + CLOSERS

# A list item marker at the start of the text or after a space or bullet: 1. 1) 1.) a. a) a.)
_MARKER = re.compile(r"(?<![^\s" + BULLETS + r"])(\d{1,3}|[a-z])(\.\)|\)|\.)(?=\s)")
_LEAD = re.compile(r"\s*(?:[" + BULLETS + r"]\s*)?")


def next_visible(text: str, pos: int) -> int | None:
    """Index of the first non-space character at or after ``pos``."""
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos if pos < len(text) else None


def protected_spans(text: str) -> list[tuple[int, int]]:
    """(opener, closer) index pairs of balanced quotes and brackets, nested ones included.

    A mark left unclosed protects nothing, and no span crosses a line break, so one stray
    quotation mark cannot swallow the rest of a paragraph.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            stack.clear()
        elif stack and ch == PAIRS[stack[-1][0]]:
            spans.append((stack.pop()[1], i))
        elif ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSERS:
            # A closer that matches an outer opener closes it and drops the unclosed inner ones.
            for depth in range(len(stack) - 1, -1, -1):
                if PAIRS[stack[depth][0]] == ch:
                    spans.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    return spans


def inside(spans: list[tuple[int, int]], cut: int) -> bool:
    """Whether a cut before index ``cut`` would split one of ``spans``."""
    return any(start < cut <= end for start, end in spans)


def line_cuts(text: str) -> set[int]:
    """Cut at line breaks after headline-like lines (no final punctuation) and at blank lines."""
    cuts = set()
    start = 0
    for match in re.finditer(r"\n", text):
        line = text[start : match.start()].strip()
        following_blank = not text[match.end() :].split("\n", 1)[0].strip()
        if line and (line[-1] not in FINAL_CHARS or following_blank):
            cuts.add(match.start())
        start = match.end()
    return cuts


def bullet_cuts(text: str) -> set[int]:
    """A bullet after a space starts a new segment ("… two parts. • Lower fares • More buses")."""
    return {i for i, ch in enumerate(text) if ch in BULLETS and i > 0 and text[i - 1].isspace()}


def list_items(text: str) -> tuple[set[int], set[int]]:
    """Cuts before the items of a list that opens the text, and the ends of their markers.

    A list is recognised only when the text starts with a marker (``1.``, ``1)``, ``1.)``,
    ``a.``, after an optional bullet) and the following markers count on from it in the same
    style, so "scored 2. The team…" is not taken for a list. No cut may fall right after a
    marker: "2. The" is one item, not a sentence "2." and another.
    """
    lead = _LEAD.match(text)
    first = _MARKER.match(text, lead.end() if lead else 0)
    if first is None:
        return set(), set()
    style = first.group(2)
    expected = _successor(first.group(1))
    starts: set[int] = set()
    ends = {first.end()}
    for marker in _MARKER.finditer(text, first.end()):
        if marker.group(2) == style and marker.group(1) == expected:
            starts.add(_item_start(text, marker.start()))
            ends.add(marker.end())
            expected = _successor(expected)
    return starts, ends


def _item_start(text: str, marker: int) -> int:
    """Where the item begins: at its bullet when one stands before the marker ("• 5.")."""
    before = text[:marker].rstrip()
    return len(before) - 1 if before and before[-1] in BULLETS else marker


def _successor(value: str) -> str:
    return str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1)
