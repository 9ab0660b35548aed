"""Sentence ends in Korean.

Korean sentences end in a predicate ending (했다. 합니다. 할까요? 하죠.), so the syllable before
the mark says more than the case of the next word, which Hangul does not have:
- a full stop glued to the next word (…이다.청와대는…) still ends a sentence after an ending;
- an ellipsis ends one only after an ending (않았다… yes, 했는데… no);
- a number before a full stop is a date or a list marker (2024. 12. 3.), not an end;
- a quotation closed and followed at once by a particle ("…다"고, "…다."라며) goes on;
- nothing inside quotation marks or brackets is cut.
Latin words inside Korean text keep the English abbreviation rules ("U.S. 스틸").
"""

from __future__ import annotations

import re

from l10n.text.languages import is_hangul
from l10n.text.segment import latin
from l10n.text.segment.marks import (
    CLOSERS,
    CLOSERS_CLASS,
    OPENERS,
    inside,
    next_visible,
    protected_spans,
)

# Last syllables of sentence-final endings: 다 (했다, 이다), 요, 까, 죠, 네, 오, 니 (합니까는 까),
# 라 / 자 (imperative, propositive), 냐, 군, 세, 지, and the nominal endings of notices 음 함 임 됨.
FINAL_SYLLABLES = frozenset("다요까죠네오니라자냐군세지음함임됨")
_MARKS = re.compile(r"[.!?…‽‼⁇⁈⁉]+" + CLOSERS_CLASS + "*")


def cuts(text: str) -> set[int]:
    spans = protected_spans(text)
    found = set()
    for match in _MARKS.finditer(text):
        end = match.end()
        if end < len(text) and not text[end].isspace():
            cut = _glued(text, match)
        else:
            cut = _spaced(text, match)
        if cut is not None and not inside(spans, cut):
            found.add(cut)
    return found


def _spaced(text: str, match: re.Match[str]) -> int | None:
    """Marks followed by a space or the end of the text."""
    marks = match.group().rstrip(CLOSERS)
    before = text[match.start() - 1] if match.start() else " "
    nxt = next_visible(text, match.end())
    if nxt is None:
        return None
    if marks.startswith(("..", "…")):
        return match.end() if _after_ending(text, match.start()) else None
    if marks != ".":
        return match.end()
    if before.isdigit():
        return None
    if before.isascii() and before.isalpha():
        ends = latin.period_ends_sentence(text, match.start(), nxt, 0)
        return match.end() if ends else None
    return match.end()


def _glued(text: str, match: re.Match[str]) -> int | None:
    """Marks with the next word right after them (no space)."""
    nxt = text[match.end()]
    if match.group()[-1] in CLOSERS:
        return None  # "…겠다"고 말했다: a particle follows the quotation
    if not (is_hangul(nxt) or nxt in OPENERS or nxt.isdigit()):
        return None
    marks = match.group()
    if marks == ".":
        return match.end() if _after_ending(text, match.start(), glued=True) else None
    if marks.startswith(("..", "…")):
        return match.end() if _after_ending(text, match.start()) else None
    return match.end() if match.start() and is_hangul(text[match.start() - 1]) else None


def _after_ending(text: str, mark: int, glued: bool = False) -> bool:
    """Whether the word before ``mark`` ends in a sentence-final syllable.

    Glued to the next word, the word must also have two or more syllables: "한.미" joins two
    one-syllable country names.
    """
    start = mark
    while start > 0 and is_hangul(text[start - 1]):
        start -= 1
    word = text[start:mark]
    if not word or word[-1] not in FINAL_SYLLABLES:
        return False
    return not glued or len(word) >= 2
