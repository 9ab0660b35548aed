"""Sentence segmentation for news text: English and other Latin-script languages, Korean,
Japanese and Chinese.

Sentences are the unit sent to machine translation, so a wrong split (after "Mr.", inside
「…」 or "3.5") corrupts the translation. Segments are exact slices of the paragraph: joining
them with what separated them gives the paragraph back, and what separates them is only
whitespace or residue that is not story text (a markup tag, a rule line, a line break escaped
as text: ``residue``), so no story text is lost between source and stored segments.

Across lines: a line break ends a segment after a headline-like line, but a hard-wrapped
sentence is joined (the line has no sentence end and the next line goes on in lower case, or
after a particle or connective in Japanese, Chinese and Korean), never across a blank line.
Lists split per item wherever they open (numbered, lettered, roman, bullets); a reference mark
after a full stop ("…said.[2]") stays with its sentence.

Rules are our own, chosen over pysbd by measurement (``benchmarks/bench_segment.py``): they
pass the project's tables in all four languages and are about 25 times faster.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from l10n.models import Article, Segment
from l10n.text.languages import is_cased, language, normalise_code
from l10n.text.segment import cjk, korean, latin, residue
from l10n.text.segment.marks import bullet_cuts, line_cuts, list_items

__all__ = ["segment_article", "split_sentences"]


@functools.lru_cache(maxsize=256)
def _rules_for(lang: str) -> tuple[str, str, bool]:
    """(language code, writing system, caseless) of a language tag, looked up once."""
    code = normalise_code(lang)
    known = language(code)
    if known is not None and known.script == "hangul":
        return code, "hangul", True
    if known is not None and known.spaceless and known.script in ("kana", "han"):
        return code, ("kana" if code == "ja" else "han"), True
    return code, "latin", not is_cased(code)


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of ``text``; a line without final punctuation (a headline) stands alone.

    Residue that is not text (a markup tag, a rule line, an escaped line break: see
    ``residue``) is read as a space and left out at a segment's edges.
    """
    if not _RARE.search(text) and "----" not in text:
        return _pieces(text, _cuts(text, lang, plain=True))
    seen = residue.mask(text)
    cuts = _cuts(seen, lang)
    if seen is text:
        return _pieces(text, cuts)
    return [text[start:end] for start, end in _spans(seen, cuts)]


_RARE = re.compile(r"[<\\/=*_~#+|\[\n\r]")
"""A quick test for what most paragraphs lack: residue, reference marks, line breaks."""


def _cuts(text: str, lang: str, plain: bool = False) -> set[int]:
    """Where the segments of ``text`` end (not counting the start and the end of the text);
    ``plain``: the text has none of ``_RARE``."""
    code, system, caseless = _rules_for(lang)
    if system == "hangul":
        cuts = korean.cuts(text)
    elif system == "latin":
        cuts = latin.cuts(text, caseless=caseless)
    else:
        cuts = cjk.cuts(text, code)
    if not plain and "[" in text:
        cuts = {_past_references(text, cut) for cut in cuts}
    item_starts, marker_ends = list_items(text)
    if marker_ends:
        cuts -= marker_ends
        cuts |= item_starts
    cuts |= bullet_cuts(text)
    if not plain and ("\n" in text or "\r" in text):
        cuts |= line_cuts(text, system)
    return cuts


def _pieces(text: str, cuts: set[int]) -> list[str]:
    """The stripped, non-empty pieces of ``text`` between ``cuts``."""
    if not cuts:
        piece = text.strip()
        return [piece] if piece else []
    pieces = []
    start = 0
    for cut in sorted(cuts):
        piece = text[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = cut
    piece = text[start:].strip()
    if piece:
        pieces.append(piece)
    return pieces


def _spans(text: str, cuts: set[int]) -> list[tuple[int, int]]:
    """(start, end) of the pieces ``_pieces`` would give."""
    spans = []
    start = 0
    for cut in [*sorted(cuts), len(text)]:
        if cut <= start:
            continue
        chunk = text[start:cut]
        piece = chunk.strip()
        if piece:
            first = start + len(chunk) - len(chunk.lstrip())
            spans.append((first, first + len(piece)))
        start = cut
    return spans


_REFERENCES = re.compile(r"(?:\[[^\[\]\s]{1,6}(?: \d{1,3})?\])+(?=\s|$)")


def _past_references(text: str, cut: int) -> int:
    """A reference mark after a sentence end belongs to that sentence: "…했다.[1] 다음"."""
    found = _REFERENCES.match(text, cut)
    return found.end() if found else cut


def segment_article(
    article: Article, lang: str, paragraph_langs: Sequence[str | None] = ()
) -> list[Segment]:
    """The title (whole, paragraph -1) then each paragraph's sentences, indexed from 0.

    ``paragraph_langs[n]``, when given and not None, is paragraph ``n``'s own language
    (a quoted post in another language): it is split by that language's rules and its
    segments carry it as ``lang``.
    """
    texts: list[tuple[int, str, str | None]] = []
    if article.title.strip():
        texts.append((-1, article.title.strip(), None))
    for number, paragraph in enumerate(article.paragraphs):
        own = paragraph_langs[number] if number < len(paragraph_langs) else None
        texts.extend((number, s, own) for s in split_sentences(paragraph, own or lang))
    return [
        Segment(article_id=article.id, index=i, paragraph=p, text=t, lang=own)
        for i, (p, t, own) in enumerate(texts)
    ]
