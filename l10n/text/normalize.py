"""Text normalised for matching, with every offset mapped back to the original.

Names must be found through differences that are only encoding: half-width katakana
(ﾄｳｷｮｳ), full-width Latin (Ｓｅｏｕｌ), zero-width characters inside a word, decomposed
(NFD) Hangul, no-break and ideographic spaces, runs of spaces. Edits, though, must land
on the original text so that everything outside a corrected name stays byte-identical.
:func:`normalize_for_matching` returns the normalised text together with a map from its
offsets to the original's.

What is folded, and why it is safe for matching:

* width forms (U+FF01–U+FFEE) by NFKC: the half-width and full-width forms of a letter
  are the same letter;
* everything else only by NFC (canonical equivalence), never by full NFKC, which would
  also fold ① into 1 or ㍻ into 平成;
* zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, bidi marks)
  are dropped; every other horizontal space and a run of them becomes one space.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

ZERO_WIDTH = frozenset("\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff")
SPACES = frozenset(" \t\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B))))

_NEEDS_WORK = re.compile(
    "[\u00a0\u00ad\u1100-\u11ff\u1680\u180e\u2000-\u200f\u202f\u205f-\u2063\u3000\u3099\u309a"
    "\ud7b0-\ud7ff\ufeff\uff01-\uffee\t]|  "
)


_EXTENDERS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
    "\ufe20-\ufe2f\u1160-\u11ff\ud7b0-\ud7ff\u3099\u309a\uff9e\uff9f"
)
"""Combining marks, Hangul vowel/final jamo and kana voicing marks: part of the cluster before."""
_WIDTH_FOLD = {
    code: ord(folded)
    for code in range(0xFF01, 0xFFEF)
    if len(folded := unicodedata.normalize("NFC", unicodedata.normalize("NFKC", chr(code)))) == 1
}
"""Width forms that fold to exactly one character (all but U+FFE3): folded a run at a time
(code point to code point: ``str.translate``'s quicker table)."""
_ONE_TO_ONE = re.escape("".join(map(chr, _WIDTH_FOLD)))
_WIDE = "(?:[" + _ONE_TO_ONE + "](?![" + _EXTENDERS + "]))"
"""A width form that folds to one character and starts no cluster; a run of them, single
plain spaces between, is folded in one step (full-width text is mostly such runs)."""
_SPACE_CLASS = "[" + "".join(sorted(SPACES | ZERO_WIDTH)) + "]"
_SPECIAL = re.compile(
    # A lone plain space needs nothing and stays in the plain text around it (NFC never
    # joins across a space), unless a combining mark follows it.
    "(?P<space>"
    + _SPACE_CLASS
    + "{2,}|"
    + _SPACE_CLASS.replace(" ", "")
    + "| (?=["
    + _EXTENDERS
    + "]))"
    "|(?P<cluster>.[" + _EXTENDERS + "]+)"
    "|(?P<run>" + _WIDE + "+(?: " + _WIDE + "+)*)"
    "|(?P<width>[\uff01-\uffee])",
    re.DOTALL,
)
CACHE_SIZE = 1024
"""Texts whose normalisation is kept: a segment's source and MT are matched several times
(the article's names, then each target's enforcement and checks); each is computed once.
About ten articles' worth; bounded, so memory stays flat."""


@dataclass(frozen=True)
class NormalizedText:
    """``text`` normalised for matching; ``span`` maps its offsets back to ``original``."""

    text: str
    original: str
    starts: tuple[int, ...] | None = None
    """Original offset where the cluster of each normalised character starts (None: same)."""
    ends: tuple[int, ...] | None = None

    @property
    def identity(self) -> bool:
        return self.starts is None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering normalised ``[start, end)`` (whole clusters)."""
        if self.starts is None or self.ends is None:
            return start, end
        size = len(self.text)
        if start >= size:
            return len(self.original), len(self.original)
        orig_start = self.starts[start]
        if end <= start:
            return orig_start, orig_start
        return orig_start, self.ends[min(end, size) - 1]

    def position(self, index: int) -> int:
        """The original offset of normalised position ``index`` (an insertion point)."""
        return self.span(index, index)[0]


def _fold(cluster: str) -> str:
    out = []
    for ch in cluster:
        if ch in ZERO_WIDTH:
            continue
        if ch in SPACES:
            out.append(" ")
        elif "\uff01" <= ch <= "\uffee":
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@lru_cache(maxsize=CACHE_SIZE)
def normalize_for_matching(text: str) -> NormalizedText:
    """Normalise ``text`` for matching, keeping the map back to it.

    Text that needs nothing (the common case) costs one regex search and one
    ``is_normalized`` call, and its map is the identity. Results are immutable and the
    last :data:`CACHE_SIZE` texts are kept, so asking again for the same text is free.
    """
    if not _NEEDS_WORK.search(text) and unicodedata.is_normalized("NFC", text):
        return NormalizedText(text, text)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def plain(a: int, b: int) -> None:
        run = text[a:b]
        if unicodedata.is_normalized("NFC", run):
            pieces.append(run)
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
            return
        # each space-separated part on its own, as when every space was a match of its own
        for part in re.finditer("[^ ]+| ", run):
            start, end = a + part.start(), a + part.end()
            if part.group() == " ":
                pieces.append(" ")
                starts.append(start)
                ends.append(end)
            else:
                part_plain(start, end)

    def part_plain(a: int, b: int) -> None:
        run = text[a:b]
        folded = unicodedata.normalize("NFC", run)
        if len(folded) == len(run):
            pieces.append(folded)
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
            return
        for index in range(a, b):
            cluster(index, index + 1)

    def cluster(a: int, b: int) -> None:
        folded = _fold(text[a:b])
        pieces.append(folded)
        starts.extend([a] * len(folded))
        ends.extend([b] * len(folded))

    last = 0
    for match in _SPECIAL.finditer(text):
        a, b = match.span()
        if a > last:
            plain(last, a)
        if match.lastgroup == "run":
            pieces.append(match.group(0).translate(_WIDTH_FOLD))
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        elif match.lastgroup == "space":
            stripped = "".join(ch for ch in match.group(0) if ch not in ZERO_WIDTH)
            if stripped:
                pieces.append(" ")
                starts.append(a)
                ends.append(b)
        else:
            cluster(a, b)
        last = b
    if last < len(text):
        plain(last, len(text))
    return NormalizedText("".join(pieces), text, tuple(starts), tuple(ends))
