"""Where a wrong rendering of a name may be matched in Japanese or Korean output.

Scripts without spaces need their own notion of a whole word: a katakana
variant must not match inside a longer katakana word (リー in リーダー), a hangul
variant not inside a longer hangul word unless a particle follows (나라는 yes,
나라별 no), and a Latin leftover only at ASCII word boundaries.
"""

from __future__ import annotations

import re

from l10n.glossary.korean import is_hangul, starts_with_particle


def _is_katakana(ch: str) -> bool:
    return (
        ("\u30a1" <= ch <= "\u30ff" and ch != "\u30fb")
        or "\u31f0" <= ch <= "\u31ff"
        or "\uff66" <= ch <= "\uff9f"
    )


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _same_script(a: str, b: str) -> bool:
    if _is_katakana(a):
        return _is_katakana(b)
    if _is_latin(a):
        return _is_latin(b)
    if is_hangul(a):
        return is_hangul(b)
    return False


def literal_pattern(forms: list[str]) -> re.Pattern[str]:
    """One alternation of plain strings, longest first; boundaries are checked by ``finditer``.

    Boundary lookarounds inside the regex would make compiling a large
    glossary slow (big character classes), so they are checked in code.
    """
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in ordered))


def fits(text: str, start: int, end: int, replacement: str) -> bool:
    """Whether ``replacement`` put at ``text[start:end]`` would itself be a whole word.

    Replacing only where the result is recognisable again keeps enforcement
    idempotent: a second run finds the target and leaves it alone.
    """
    if start > 0 and _same_script(replacement[0], text[start - 1]):
        return False
    if end < len(text) and _same_script(replacement[-1], text[end]):
        return is_hangul(replacement[-1]) and starts_with_particle(text, end)
    return True


def bounded_finditer(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Spans of whole-word matches.

    A katakana/Latin form may not start or end inside a longer word of its
    script (リー in リーダー); a hangul form may not start inside a hangul word
    and may end inside one only when a particle follows (나라는 yes, 나라별 no).
    """
    spans: list[tuple[int, int]] = []
    pos, size = 0, len(text)
    while True:
        match = pattern.search(text, pos)
        if match is None:
            return spans
        start, end = match.span()
        first, last = text[start], text[end - 1]
        ok = not (start > 0 and _same_script(first, text[start - 1]))
        if ok and end < size and _same_script(last, text[end]):
            ok = is_hangul(last) and starts_with_particle(text, end)
        if ok:
            spans.append((start, end))
            pos = end
        else:
            pos = start + 1


def spacing_variants(form: str) -> list[str]:
    """The same multi-part rendering with the other separators MT engines use."""
    parts = re.split(r"[ ・=･\u00b7]", form)
    if len(parts) < 2 or any(not p for p in parts):
        return [form]
    out = [form]
    for sep in ("・", " ", "", "=", "･"):
        joined = sep.join(parts)
        if joined not in out:
            out.append(joined)
    return out
