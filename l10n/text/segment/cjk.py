"""Sentence ends in Japanese and Chinese, written without spaces.

。！？ end a sentence, except:
- inside quotation marks or brackets 「」『』（）“”《》【】 (nested ones too);
- a quotation closed after its own 。 and taken up by the sentence that quotes it: in Japanese
  when a particle (hiragana) follows at once (「…。」と述べた), in Chinese when any word
  follows at once (“…。”他说);
- ASCII ! and ? after a Latin letter (Yahoo!ニュース) and ASCII or full-width full stops in
  numbers and abbreviations (３．２％, 2.5%, U.S.の).
"""

from __future__ import annotations

import re

from l10n.text.languages import is_han, is_hangul, is_kana
from l10n.text.segment.marks import CLOSERS, CLOSERS_CLASS, inside, protected_spans

_STRONG = "。｡！？‼⁇⁈⁉"
_MARKS = re.compile(r"(?:(?:[" + _STRONG + r"!?]+|[．.])" + CLOSERS_CLASS + r"*)+")


def cuts(text: str, lang: str) -> set[int]:
    spans = protected_spans(text)
    found = set()
    for match in _MARKS.finditer(text):
        if _ends_sentence(text, match, lang) and not inside(spans, match.end()):
            found.add(match.end())
    return found


def _ends_sentence(text: str, match: re.Match[str], lang: str) -> bool:
    marks = match.group()
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if not any(ch in _STRONG for ch in marks):
        # Only ASCII ! ? . or a full-width ．: a sentence end after CJK text alone.
        if not _is_cjk(before):
            return False
        if marks[0] in ".．" and (after.isdigit() or before.isdigit()):
            return False
    if marks[-1] in CLOSERS and after:
        quoted_on = _is_kana_particle(after) if lang == "ja" else after.isalpha()
        if quoted_on:
            return False
    return True


def _is_cjk(ch: str) -> bool:
    return bool(ch) and (is_han(ch) or is_kana(ch) or is_hangul(ch) or ch in CLOSERS)


def _is_kana_particle(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"
