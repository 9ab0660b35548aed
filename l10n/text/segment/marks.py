"""Punctuation shared by every language's rules: quotes and brackets, bullets, list markers,
line breaks, and the spans of text inside quotation marks or brackets."""

from __future__ import annotations

import functools
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
OPENERS = "\"'`“‘«「『（(【〔《〈［[｛¿¡"
CLOSERS = "\"'”’»」』）)】〕》〉］]｝"
CLOSERS_CLASS = "[" + re.escape(CLOSERS) + "]"
BULLETS = "•‣⁃◦▪●■◆►▶"
"""Marks that start a list item wherever they follow a space (not ▲/△: Korean news writes
inline lists with them inside one sentence)."""
FINAL_MARKS = ".!?…。｡！？‼⁇⁈⁉؟।．"
FINAL_CHARS = FINAL_MARKS + CLOSERS

# A list item marker at the start of the text or after a space or bullet: 1. 1) 1.) a. a) a.)
_MARK = r"(\d{1,3}|[ivx]{2,5}|[a-z])(\.\)|\)|\.)(?=\s)"
_MARKER = re.compile(r"[\s" + BULLETS + "]" + _MARK)
_MARKER_AT_START = re.compile(_MARK)
"""(The space or bullet before a marker is matched, not looked behind for: the regex engine
then skips to the next space at once.)"""
_ITEM_MARKER = r"[ \t\u00a0" + BULLETS + r"]*(?:\d{1,3}|[ivx]{2,5}|[a-z])(?:\.\)|\)|\.)(?=\s)"
_LIST_OPENER = re.compile(r"[\n.!?:。！？：]" + CLOSERS_CLASS + "*" + _ITEM_MARKER)
_LIST_AT_START = re.compile(_ITEM_MARKER)
_LEADING = " \t\u00a0" + BULLETS
"""A quick test for a list marker where a list may open (at the start of the text, of a line,
after a sentence end or a colon); most paragraphs have none."""
_LEAD = re.compile(r"\s*(?:[" + BULLETS + r"]\s*)?")


_SPACES = re.compile(r"\s*")


def next_visible(text: str, pos: int) -> int | None:
    """Index of the first non-space character at or after ``pos``."""
    pos = _SPACES.match(text, pos).end()  # type: ignore[union-attr]  # \s* always matches
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


_BREAK = re.compile(r"\r\n?|\n")
"""A line break: LF, CR LF, or a lone CR (old Mac files, some scrapers)."""


def line_cuts(text: str, system: str = "latin") -> set[int]:
    """Cut at line breaks after headline-like lines (no final punctuation) and at blank lines.

    A hard-wrapped line is joined instead: it has no sentence end and the next line goes on
    with the same sentence (``continues``). Never across a blank line.
    """
    cuts = set()
    start = 0
    breaks = list(_BREAK.finditer(text))
    for number, match in enumerate(breaks, start=1):
        raw = text[start : match.start()]
        line = raw.strip()
        end = breaks[number].start() if number < len(breaks) else len(text)
        following = text[match.end() : end]
        following_blank = not following.strip()
        if line and (
            following_blank or (not _ends_sentence(line) and not continues(raw, following, system))
        ):
            cuts.add(match.start())
            if system == "latin" and not _ends_sentence(line):
                cuts.update(_label_tail(text, start, match.start()))
        start = match.end()
    return cuts


# (The full stop first lets the regex engine skip to the next one at once.)
_TAIL = re.compile(r"\.(?<=[a-z]{3}\.)([ \t]+[a-z][\w-]*(?:[ \t]+[a-z][\w-]*){0,2}[ \t]*)$")


def _label_tail(text: str, start: int, end: int) -> list[int]:
    """A short lower-case label left at the end of a line after a full stop stands alone:
    "… in the city. features" then a line break (the label of a menu or list below)."""
    found = _TAIL.search(text, start, end)
    return [found.start(1)] if found else []


def _ends_sentence(line: str) -> bool:
    """The line ends in a sentence mark, closing quotes and brackets after it allowed."""
    bare = line.rstrip(CLOSERS)
    return bool(bare) and bare[-1] in FINAL_MARKS


_LATIN_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?]" + CLOSERS_CLASS + r"*\s+(?=[A-Za-z])")
"""Where an earlier sentence on the line ends: only the words after it are under way."""
# Korean particles and connective endings, Japanese particles and Chinese function characters
# that cannot end a sentence or a headline: a line ending in one goes on on the next line.
_HANGUL_CONTINUING = frozenset("은는이가을를에의와과도로고며면서만데게께서요")
_KANA_CONTINUING = frozenset("のにをはがとでへもやかて、，")
_HAN_CONTINUING = frozenset("的了和与及在对把被将从向、，")


def _title_case(words: list[str]) -> bool:
    """Most long words capitalised: a headline or a name, which no sentence runs on from."""
    long = [w for w in words if len(w) >= 4]
    return len(long) >= 2 and sum(w[0].isupper() for w in long) * 10 >= len(long) * 7


def continues(line: str, following: str, system: str) -> bool:
    """Whether ``following`` carries on the sentence that ``line`` (no sentence end) began.

    Latin scripts: the next line opens in lower case (or with a bracketed number), and the line
    is a sentence under way (three words or more, or a comma, hyphen or space at its end),
    not a one- or two-word list entry. Hangul, kana and Han: the line ends in a particle or
    connective that no sentence or headline ends in.
    """
    nxt = following.lstrip()
    if not nxt or not line.strip():
        return False
    if system == "latin":
        first = nxt[0]
        if first in ".!?" and (len(nxt) == 1 or nxt[1].isspace()):
            return True  # the full stop of the line above, pushed onto a line of its own
        opens_low = first.islower() or (first == "(" and nxt[1:].lstrip()[:1].isdigit())
        words = _LATIN_WORD.findall(_SENTENCE_END.split(line)[-1])
        if not opens_low or _title_case(words):
            return False
        return len(words) >= 3 or line.rstrip(" \t")[-1:] in ",-–" or line[-1:] in " \t"
    last = line.rstrip()[-1]
    if system == "hangul":
        return last in _HANGUL_CONTINUING and len(line.split()) >= 2
    if system == "kana":
        return last in _KANA_CONTINUING
    return last in _HAN_CONTINUING


_ANY_BULLET = re.compile("[" + BULLETS + "]")


def bullet_cuts(text: str) -> set[int]:
    """A bullet after a space starts a new segment ("… two parts. • Lower fares • More buses")."""
    if text.isascii() or not _ANY_BULLET.search(text):
        return set()
    return {i for i, ch in enumerate(text) if ch in BULLETS and i > 0 and text[i - 1].isspace()}


def list_items(text: str) -> tuple[set[int], set[int]]:
    """Cuts before the items of lists in the text, and the ends of their markers.

    A list opens with a marker (``1.``, ``1)``, ``1.)``, ``a.``, ``iv)``, after an optional
    bullet) at the start of the text, of a line, or after a sentence end or a colon, and goes
    on with markers that count on from it in the same style: "1. The first item 2. The
    second", "a) here b) there", "i) one ii) two". So "scored 2. The team…" is not taken for
    a list. No cut may fall right after a marker: "2. The" is one item, not a sentence "2."
    and another.
    """
    opening = text.lstrip(_LEADING)[:1]
    at_start = (opening.isdigit() or "a" <= opening <= "z") and _LIST_AT_START.match(text)
    if not (at_start or _LIST_OPENER.search(text)):
        return set(), set()
    markers = [(m.start(1), m.end(), m.group(1), m.group(2)) for m in _MARKER.finditer(text)]
    at_start = _MARKER_AT_START.match(text)
    if at_start:
        markers.insert(0, (0, at_start.end(), at_start.group(1), at_start.group(2)))
    starts: set[int] = set()
    ends: set[int] = set()
    used: set[int] = set()
    lead = _LEAD.match(text)
    text_start = lead.end() if lead else 0
    for number, (first, first_end, value, _) in enumerate(markers):
        restart = number - 1 in used and value in _FIRST
        if number in used or not (restart or _opens_list(text, first)):
            continue
        chain = _count_on(markers, number)
        if len(chain) < 2:
            if _line_start(text, first):
                ends.add(first_end)  # "1. Organise early" on a line of its own: one item
            continue
        used.update(chain)
        for k in chain:
            start, end = markers[k][:2]
            if start > text_start:
                starts.add(_item_start(text, start))
            ends.add(end)
    return starts, ends


_Marker = tuple[int, int, str, str]
"""A list marker: (start, end, value, style): (4, 6, "1", ".") for the "1." of "Two: 1. A"."""


_FIRST = frozenset(("1", "a", "i"))
"""Values that start a list again right after the last item of another ("… 2) Two 1) One")."""


def _opens_list(text: str, pos: int) -> bool:
    bare = text[:pos].rstrip(" \t\u00a0")
    if bare[-1:] in BULLETS and bare:
        return True  # "• 9.", "⁃9.": a bullet opens the item
    before = bare.rstrip(BULLETS)
    return not before or before[-1] in "\r\n:：" or before.rstrip(CLOSERS)[-1:] in ".!?。！？"


def _line_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\u00a0" + BULLETS)
    return not before or before[-1] in "\r\n"


def _count_on(markers: list[_Marker], first: int) -> list[int]:
    """Indices of the markers that count on from ``markers[first]`` in its style."""
    value, style = markers[first][2:]
    chain = [first]
    kind = "roman" if len(value) > 1 and value.isalpha() else None
    expected = _successors(value, kind)
    for k in range(first + 1, len(markers)):
        value = markers[k][2]
        if markers[k][3] == style and value in expected:
            chain.append(k)
            if value.isalpha():
                kind = "roman" if kind == "roman" or len(value) > 1 else "letter"
            expected = _successors(value, kind)
    return chain


_ROMAN = (("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def _roman(value: str) -> int | None:
    total, rest = 0, value
    for numeral, amount in _ROMAN:
        while rest.startswith(numeral):
            total, rest = total + amount, rest[len(numeral) :]
    return total if not rest and total else None


def _to_roman(number: int) -> str:
    out = ""
    for numeral, amount in _ROMAN:
        while number >= amount:
            out, number = out + numeral, number - amount
    return out


@functools.lru_cache(maxsize=512)
def _successors(value: str, kind: str | None = None) -> tuple[str, ...]:
    """What may follow ``value``: the next number, letter or roman numeral ("i" → "j", "ii")."""
    if value.isdigit():
        return (str(int(value) + 1),)
    letter = chr(ord(value) + 1) if len(value) == 1 and value < "z" else ""
    roman = _roman(value)
    if roman is not None and (kind == "roman" or len(value) > 1):
        return (_to_roman(roman + 1),)
    if roman is None or kind == "letter":
        return (letter,) if letter else ()
    return tuple(x for x in (letter, _to_roman(roman + 1)) if x)


def _item_start(text: str, marker: int) -> int:
    """Where the item begins: at its bullet when one stands before the marker ("• 5.")."""
    before = text[:marker].rstrip()
    return len(before) - 1 if before and before[-1] in BULLETS else marker
