"""Where a wrong rendering of a name may be matched in Japanese or Korean output.

Scripts without spaces need their own notion of a whole word: a katakana
variant must not match inside a longer katakana word (リー in リーダー), a hangul
variant not inside a longer hangul word unless only particles follow (나라는 yes,
나라별 no), and a Latin leftover only at Latin word boundaries, where an apostrophe
joined to letters (Xi'an) belongs to the word but a possessive 's does not.
"""

from __future__ import annotations

import itertools
import re

from l10n.glossary.korean import is_hangul
from l10n.glossary.korean_particles import ends_word_with_particles

APOSTROPHES = "'’ʼ"


def _is_katakana(ch: str) -> bool:
    return (
        ("\u30a1" <= ch <= "\u30ff" and ch != "\u30fb")
        or "\u31f0" <= ch <= "\u31ff"
        or "\uff66" <= ch <= "\uff9f"
    )


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def same_script(a: str, b: str) -> bool:
    """Whether ``b`` continues a word of ``a``'s script (katakana, Latin or hangul)."""
    if _is_katakana(a):
        return _is_katakana(b)
    if _is_latin(a):
        return _is_latin(b)
    if is_hangul(a):
        return is_hangul(b)
    return False


def _latin_joined_before(text: str, start: int) -> bool:
    """``text[start]`` follows letter + apostrophe (the an of Xi'an)."""
    return start >= 2 and text[start - 1] in APOSTROPHES and text[start - 2].isalpha()


def _latin_joined_after(text: str, end: int) -> bool:
    """An apostrophe at ``end`` joins more letters to the word (Xi'an), bar a possessive 's."""
    if end + 1 >= len(text) or text[end] not in APOSTROPHES or not text[end + 1].isalpha():
        return False
    possessive = text[end + 1] in "sS" and (end + 2 >= len(text) or not text[end + 2].isalpha())
    return not possessive


def whole_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole word of its script (particles may follow hangul)."""
    first, last = text[start], text[end - 1]
    if start > 0 and same_script(first, text[start - 1]):
        return False
    if _is_latin(first) and _latin_joined_before(text, start):
        return False
    if end < len(text):
        if same_script(last, text[end]):
            return is_hangul(last) and ends_word_with_particles(text, end)
        if _is_latin(last) and _latin_joined_after(text, end):
            return False
    return True


def fits(text: str, start: int, end: int, replacement: str) -> bool:
    """Whether ``replacement`` put at ``text[start:end]`` would itself be a whole word.

    Replacing only where the result is recognisable again keeps enforcement
    idempotent: a second run finds the target and leaves it alone.
    """
    if start > 0 and same_script(replacement[0], text[start - 1]):
        return False
    if end < len(text) and same_script(replacement[-1], text[end]):
        return is_hangul(replacement[-1]) and ends_word_with_particles(text, end)
    return True


def find_words(text: str, forms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans where one of ``forms`` stands as a whole word; longest first, no overlaps.

    Plain ``str.find`` per form: cheaper than compiling an alternation per entry,
    since a glossary entry has a few dozen forms at most.
    """
    found: list[tuple[int, int]] = []
    for form in forms:
        if not form:
            continue
        start = text.find(form)
        while start != -1:
            end = start + len(form)
            if whole_word(text, start, end):
                found.append((start, end))
            start = text.find(form, start + 1)
    if len(found) < 2:
        return found
    found.sort(key=lambda s: (s[0] - s[1], s[0]))
    taken: list[tuple[int, int]] = []
    for start, end in found:
        if all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
    taken.sort()
    return taken


_SEPARATORS = ("・", " ", "", "=")


def spacing_variants(form: str) -> list[str]:
    """The same multi-part rendering with the other separators MT engines use, mixed too
    (イ・ジェ ミョン). Half-width ･ and full-width forms are folded before matching."""
    parts = re.split(r"[ ・=･\u00b7]", form)
    if len(parts) < 2 or len(parts) > 4 or any(not p for p in parts):
        return [form]
    out = [form]
    for seps in itertools.product(_SEPARATORS, repeat=len(parts) - 1):
        joined = parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:], strict=True))
        if joined not in out:
            out.append(joined)
    return out


def stray_space_variants(form: str) -> list[str]:
    """A one-word name with a space slipped inside it (이 재명, 高市 早苗).

    Only for words of three or more hangul syllables or CJK characters, where a
    space cannot be part of the name.
    """
    if " " in form or len(form) < 3 or len(form) > 8:
        return []
    if not all(is_hangul(c) or "\u4e00" <= c <= "\u9fff" for c in form):
        return []
    return [form[:i] + " " + form[i:] for i in range(1, len(form))]
