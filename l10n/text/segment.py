"""Sentence segmentation for news text in English, Korean, Japanese and Chinese.

Sentences are the unit sent to machine translation, so a wrong split (after
"Mr." or inside "3.5") corrupts the translation. Segments are exact slices of
the paragraph: joining them with the whitespace that separated them gives the
paragraph back, so nothing is lost between source and stored segments.
"""

from __future__ import annotations

import re
from itertools import pairwise

from l10n.models import Article, Segment
from l10n.text.languages import is_cased


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles and prefixes that are practically never the last word of a sentence.
_NEVER_FINAL = _words(
    "mr mrs ms dr prof gen gov sen rep st lt col capt sgt cmdr adm pres vs e.g i.e cf approx"
    " mt ft messrs"
)
# Sentence-final only when the next word starts a new sentence ("in the U.S. The …").
_MAYBE_FINAL = _words("inc ltd co corp llc plc jr sr etc a.m p.m")
# Never final when a number follows ("No. 10", "Jan. 31").
_BEFORE_NUMBER = _words(
    "no nos p pp para fig vol art ch jan feb mar apr jun jul aug sep sept oct nov dec"
)
_MONTHS = _words("jan feb mar apr jun jul aug sep sept oct nov dec")
_STARTERS = _words(
    "the a an he she it they we i you this that these those there his her its their our"
    " in on at by but and yet so after before when while if as for however meanwhile"
    " officials analysts critics both some many most"
)

_OPENERS = "\"'“‘«「『（(【〔《["
_CLOSERS = "\"'”’»」』）)】〕》]"
_LATIN_END = re.compile(r"(?:\.\.\.|[.!?…])+[" + re.escape(_CLOSERS) + r"]*(?=\s|$)")
_CJK_END = re.compile(r"[。｡！？]+[" + re.escape(_CLOSERS) + r"]*")
_FINAL_CHARS = ".!?…。｡！？" + _CLOSERS
_DOTTED_ACRONYM = re.compile(r"(?:[a-z]\.){2,}")
_WORD = re.compile(r"[A-Za-z]+")
# Japanese quotation particle: 「…。」と述べた is one sentence.
_QUOTATIVE = ("と", "って")


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of ``text``; a line without final punctuation (a headline) stands alone."""
    caseless = not is_cased(lang)
    cuts = {0, len(text)}
    cuts.update(_latin_cuts(text, caseless))
    cuts.update(_cjk_cuts(text))
    cuts.update(_line_cuts(text))
    ordered = sorted(cuts)
    pieces = (text[a:b].strip() for a, b in pairwise(ordered))
    return [piece for piece in pieces if piece]


def segment_article(article: Article, lang: str) -> list[Segment]:
    """The title (whole, paragraph -1) then each paragraph's sentences, indexed from 0."""
    texts: list[tuple[int, str]] = []
    if article.title.strip():
        texts.append((-1, article.title.strip()))
    for number, paragraph in enumerate(article.paragraphs):
        texts.extend((number, sentence) for sentence in split_sentences(paragraph, lang))
    return [
        Segment(article_id=article.id, index=i, paragraph=p, text=t)
        for i, (p, t) in enumerate(texts)
    ]


def _latin_cuts(text: str, caseless: bool) -> list[int]:
    cuts = []
    for match in _LATIN_END.finditer(text):
        nxt = _next_visible(text, match.end())
        if nxt is None or not _starts_sentence(text[nxt], caseless):
            continue
        if match.group() == "." and not _period_ends_sentence(text, match.start(), nxt):
            continue
        cuts.append(match.end())
    return cuts


def _cjk_cuts(text: str) -> list[int]:
    cuts = []
    for match in _CJK_END.finditer(text):
        closed = match.group()[-1] in _CLOSERS
        if closed and text.startswith(_QUOTATIVE, match.end()):
            continue
        cuts.append(match.end())
    return cuts


def _line_cuts(text: str) -> list[int]:
    """Cut at line breaks after headline-like lines and at blank lines."""
    cuts = []
    start = 0
    for match in re.finditer(r"\n", text):
        line = text[start : match.start()].strip()
        following_blank = not text[match.end() :].split("\n", 1)[0].strip()
        if line and (line[-1] not in _FINAL_CHARS or following_blank):
            cuts.append(match.start())
        start = match.end()
    return cuts


def _next_visible(text: str, pos: int) -> int | None:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos if pos < len(text) else None


def _starts_sentence(ch: str, caseless: bool) -> bool:
    if ch.isupper() or ch.isdigit() or ch in _OPENERS:
        return True
    if ch.isalpha():
        # Uncased scripts (Hangul, kana, Han) cannot signal a new sentence by case.
        return caseless or not ch.islower()
    return False


def _period_ends_sentence(text: str, period: int, nxt: int) -> bool:
    """Whether a single '.' after a word is a full stop rather than an abbreviation."""
    start = period
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    token = text[start:period].lstrip(_OPENERS)
    word = token.lower()
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial, as in "J. Smith"
    if word in _NEVER_FINAL:
        return False
    following = _WORD.match(text, nxt)
    if word in _BEFORE_NUMBER and text[nxt].isdigit():
        return False
    if word in _MAYBE_FINAL or word in _MONTHS or _DOTTED_ACRONYM.fullmatch(word + "."):
        return following is not None and following.group().lower() in _STARTERS
    return True
