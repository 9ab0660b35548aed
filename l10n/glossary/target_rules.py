"""Where a wrong rendering of a name may be matched in Japanese or Korean output.

Scripts without spaces need their own notion of a whole word: a katakana
variant must not match inside a longer katakana word (リー in リーダー), a hangul
variant not inside a longer hangul word unless a particle follows (나라는 yes,
나라별 no), and a Latin leftover only at ASCII word boundaries.
"""

from __future__ import annotations

import re

from l10n.glossary.korean import is_hangul, starts_with_particle

_KATAKANA_WORD = "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_LATIN_WORD = "A-Za-z0-9"
_HANGUL = "\uac00-\ud7a3"
_KATAKANA_RE = re.compile(f"[{_KATAKANA_WORD}]")
_LATIN_RE = re.compile(f"[{_LATIN_WORD}]")


def _script_class(ch: str) -> str | None:
    if _KATAKANA_RE.match(ch):
        return _KATAKANA_WORD
    if _LATIN_RE.match(ch):
        return _LATIN_WORD
    if is_hangul(ch):
        return _HANGUL
    return None


def bounded_pattern(form: str) -> str:
    """Regex for ``form`` that refuses to start or end inside a word of the same script.

    The end of a hangul form is left open here; ``hangul_end_ok`` decides it,
    because a following particle is allowed and a regex cannot say which.
    """
    pattern = re.escape(form)
    first, last = _script_class(form[0]), _script_class(form[-1])
    if first:
        pattern = f"(?<![{first}])" + pattern
    if last and last != _HANGUL:
        pattern += f"(?![{last}])"
    return pattern


def hangul_end_ok(text: str, end: int, form: str) -> bool:
    """A hangul form ends a word when non-hangul or a particle follows it."""
    if not is_hangul(form[-1]) or end >= len(text) or not is_hangul(text[end]):
        return True
    return starts_with_particle(text, end)


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
