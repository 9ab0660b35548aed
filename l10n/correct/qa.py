"""Automatic checks on a translated segment, so a reviewer looks at the risky ones first.

The checks target the ways small offline NMT models actually fail on news: dropped or
mangled numbers, source text passed through untouched, token loops, truncated or
runaway output. Every flag is a hint for a human, never a verdict, so the checks lean
towards accepting legitimate variants (``10,000`` may become ``1万`` or ``1만``).

Length-ratio bounds (characters of the translation per character of the source, both
counted without whitespace because Japanese uses none and English about one in six):

==================  =========  =====  ============================================
source → target     low        high   why
==================  =========  =====  ============================================
Latin/Cyrillic → ja  0.20      1.20   ja news runs at roughly 0.3–0.6 of English
Latin/Cyrillic → ko  0.20      1.30   ko news runs at roughly 0.35–0.7 of English
ko ↔ ja              0.50      2.00   both dense scripts, similar lengths
zh → ja / ko         0.70      3.00   Chinese is the densest; kana and hangul expand
==================  =========  =====  ============================================

Segments shorter than :data:`MIN_RATIO_CHARS` source characters are skipped: headlines
and bylines vary too much for a ratio to mean anything.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from l10n.models import FlagCode, QAFlag, Severity, Translation
from l10n.text.languages import normalise_code, uses_decimal_comma

MIN_RATIO_CHARS = 20
"""Shortest source (non-space characters) whose length ratio is checked."""

UNTRANSLATED_MIN_LETTERS = 12
"""Fewest foreign-script letters before a ja/ko output counts as untranslated."""

_DENSE = {"ja", "ko", "zh"}
_RATIO_BOUNDS: dict[tuple[str, str], tuple[float, float]] = {
    ("ko", "ja"): (0.5, 2.0),
    ("ja", "ko"): (0.5, 2.0),
    ("zh", "ja"): (0.7, 3.0),
    ("zh", "ko"): (0.7, 3.0),
}
_ALPHABETIC_TO: dict[str, tuple[float, float]] = {"ja": (0.2, 1.2), "ko": (0.2, 1.3)}

_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000, "십": 10, "백": 100, "천": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "億": 10**8, "亿": 10**8, "兆": 10**12}
_BIG_UNITS |= {"만": 10**4, "억": 10**8, "조": 10**12}
_HANGUL_UNITS = set("십백천만억조")
_SCALE_WORDS = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SCALE_SUFFIXES = {"k": 10**3, "m": 10**6, "bn": 10**9}

_NUMBER_TOKEN_RE = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)"
    r"|(?P<kd>[〇零一二三四五六七八九]+)"
    r"|(?P<small>[十百千십백천])"
    r"|(?P<big>[万萬億亿兆만억조])"
    r"|(?P<word> ?(?:thousand|million|billion|trillion)\b)"
    r"|(?P<suffix>(?:bn|k|m)\b)"
    r"|(?P<sp> )",
    re.IGNORECASE,
)
_NUMBER_START_RE = re.compile(r"\d+(?:[.,]\d+)*|[〇零一二三四五六七八九]+")
"""Where a number can start: the ``num`` and ``kd`` tokens of ``_NUMBER_TOKEN_RE``."""
_HAS_DIGIT_RE = re.compile(r"\d")
_SPACE_RE = re.compile(r"\s+")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")
_KANA_HAN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL_RE = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_WORD_LOOP_RE = re.compile(
    r"(?<!\w)(?P<unit>\w+(?:\W+\w+){0,3}?)(?:\W+(?P=unit)(?!\w)){2,}", re.IGNORECASE
)
_CJK = r"\u3040-\u30fb\u30fd-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_LOOP_RE = re.compile(rf"(?P<unit>[{_CJK}]{{2,10}}?)(?P=unit){{2,}}")
_CJK_CHAR_LOOP_RE = re.compile(rf"(?P<unit>[{_CJK}])(?P=unit){{3,}}")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_CHARS_RE = re.compile(r"\w+")
_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f']+")


def check_translation(source: str, translation: Translation, source_lang: str) -> list[QAFlag]:
    """Flags for one segment's final text, in a fixed order (empty, untranslated, numbers,
    repetition, length).

    A segment whose target is its own source language was copied, not translated, so it
    gets no flags.
    """
    target_lang = translation.lang
    if normalise_code(source_lang) == normalise_code(target_lang) or not source.strip():
        return []
    final = translation.final
    if not final.strip():
        return [
            QAFlag(
                FlagCode.EMPTY_OUTPUT,
                "the translation is empty although the source has text; re-run the segment",
                Severity.ERROR,
            )
        ]
    flags = [
        flag
        for flag in (
            _untranslated(source, final, target_lang),
            _missing_numbers(source, final, source_lang),
            _repetition(source, final),
            _length_ratio(source, final, source_lang, target_lang),
        )
        if flag is not None
    ]
    return flags


# --- untranslated -------------------------------------------------------------------------


def _untranslated(source: str, final: str, target_lang: str) -> QAFlag | None:
    if _squash(final) == _squash(source):
        letters = len(_LETTER_RE.findall(source))
        several_words = len(_WORD_RE.findall(source)) >= 2 or not _LATIN_RE.search(source)
        if letters >= 8 and several_words:
            return QAFlag(FlagCode.UNTRANSLATED, "the translation is identical to the source")
        return None
    tgt = normalise_code(target_lang)
    expected = {"ja": _KANA_HAN_RE, "ko": _HANGUL_RE}.get(tgt)
    if expected is None:
        return None
    latin = len(_LATIN_RE.findall(final))
    if latin >= UNTRANSLATED_MIN_LETTERS:
        kept, total = _kept_source_words(source, final)
        if total and kept / total >= 0.5:
            return QAFlag(
                FlagCode.UNTRANSLATED,
                f"{kept} of {total} source words are still in the translation in Latin "
                "letters; the model may have passed the source through",
            )
    other_re, other_name = (_HANGUL_RE, "hangul") if tgt == "ja" else (_KANA_HAN_RE, "kana/kanji")
    foreign = len(other_re.findall(final)) + len(_CYRILLIC_RE.findall(final))
    own = len(expected.findall(final))
    if foreign >= UNTRANSLATED_MIN_LETTERS and foreign > own:
        script = other_name if other_re.search(final) else "Cyrillic"
        return QAFlag(
            FlagCode.UNTRANSLATED,
            f"the translation is mostly {script} letters ({foreign} of {foreign + own}); "
            "the model may have passed the source through",
        )
    return None


def _kept_source_words(source: str, final: str) -> tuple[int, int]:
    """How many of the source's ordinary words the translation still contains.

    Lower-case words are what a translation must replace; capitalised ones are mostly
    names and brands that ja/ko news keeps in Latin letters (``iPhone``, ``NATO``). A
    headline in Title Case has no lower-case words, so all its words count.
    """
    words = _WORD_RE.findall(source)
    ordinary = {w.casefold() for w in words if w[0].islower()}
    if len(ordinary) < 3:
        ordinary = {w.casefold() for w in words}
    if len(ordinary) < 3:
        return 0, 0
    kept = {w.casefold() for w in _WORD_RE.findall(final)} & ordinary
    return len(kept), len(ordinary)


def _squash(text: str) -> str:
    return _SPACE_RE.sub(" ", text.strip()).casefold()


# --- numbers ------------------------------------------------------------------------------


def _missing_numbers(source: str, final: str, source_lang: str) -> QAFlag | None:
    source_norm = unicodedata.normalize("NFKC", source)
    if not _HAS_DIGIT_RE.search(source_norm):
        return None
    decimal_comma = uses_decimal_comma(source_lang)
    found: set[float] = set()
    for _text, values in _number_expressions(
        unicodedata.normalize("NFKC", final), decimal_comma=False, kanji=True
    ):
        found |= values
    missing = [
        text
        for text, values in _number_expressions(source_norm, decimal_comma, kanji=False)
        if not values & found
    ]
    if not missing:
        return None
    listed = ", ".join(dict.fromkeys(missing))
    return QAFlag(
        FlagCode.NUMBER_MISSING, f"number(s) in the source not found in the translation: {listed}"
    )


def _number_expressions(
    text: str, decimal_comma: bool, kanji: bool
) -> tuple[tuple[str, frozenset[float]], ...]:
    """Each number written in ``text`` with the values it may stand for.

    Adjacent pieces combine the way East Asian numbers are read (``1億2000万`` is
    120,000,000; ``1만 2천`` is 12,000) and English scale words multiply (``3.5 billion``).
    Ambiguous separators give several candidate values.

    A number starts at a run of digits (or kanji digits) and takes the pieces that touch it,
    so only those are read: the tokens of ``_NUMBER_TOKEN_RE`` at the start and at each
    piece's end, as scanning the whole text would find them there (no other piece holds a
    digit, so each run of digits starts a token of its own). A segment's source is checked
    once per target language: the last texts' numbers are kept.
    """
    return _numbers_in(text, decimal_comma, kanji)


@lru_cache(maxsize=1024)
def _numbers_in(
    text: str, decimal_comma: bool, kanji: bool
) -> tuple[tuple[str, frozenset[float]], ...]:
    found: list[tuple[str, frozenset[float]]] = []
    resume = 0
    token_at = _NUMBER_TOKEN_RE.match
    for start in _NUMBER_START_RE.finditer(text):
        if start.start() < resume:
            continue  # inside the last number
        first = token_at(text, start.start())
        assert first is not None and first.lastgroup in ("num", "kd")
        if first.lastgroup == "kd" and not kanji:
            continue
        group = [first]
        nxt = token_at(text, first.end())
        while nxt is not None:
            after = token_at(text, nxt.end())
            if not _may_follow(group[-1], nxt, after, kanji):
                break
            group.append(nxt)
            nxt = after
        resume = group[-1].end()
        while group and group[-1].lastgroup == "sp":
            group.pop()
        span = text[group[0].start() : group[-1].end()]
        found.append((span.strip(), frozenset(_evaluate(group, decimal_comma))))
    return tuple(found)


def _may_follow(
    prev: re.Match[str], nxt: re.Match[str], after: re.Match[str] | None, kanji: bool
) -> bool:
    p, n = prev.lastgroup, nxt.lastgroup
    if n == "sp":
        # Korean writes 1만 2천: a space only joins a big unit to the number after it.
        return (
            p == "big"
            and after is not None
            and after.lastgroup == "num"
            and (after.start() == nxt.end())
        )
    if n in ("small", "big"):
        if nxt.group() in _HANGUL_UNITS:
            return p in ("num", "small", "big") and _hangul_unit(nxt)
        return p == "num" or (kanji and p in ("kd", "small"))
    if n in ("word", "suffix"):
        return p == "num"
    if n == "num":
        return p in ("small", "big", "sp")
    if n == "kd":
        return kanji and p in ("small", "big")
    return False


_HANGUL_AFTER_NUMBER = _HANGUL_UNITS | set("명원개년월일달건곳채대톤배분초시위")


def _hangul_unit(match: re.Match[str]) -> bool:
    """A hangul unit syllable is a number unit only when no ordinary word continues it
    (``3천 명`` and ``3천명`` yes, ``3백화점`` no)."""
    following = match.string[match.end() : match.end() + 1]
    return not _HANGUL_RE.match(following) or following in _HANGUL_AFTER_NUMBER


def _evaluate(group: list[re.Match[str]], decimal_comma: bool) -> set[float]:
    totals: set[float] = {0.0}
    section: set[float] = {0.0}
    current: set[float] | None = None
    for token in group:
        kind, text = token.lastgroup, token.group()
        if kind == "num":
            current = _literal_values(text, decimal_comma)
        elif kind == "kd":
            current = {float(_kanji_digits(text))}
        elif kind == "small":
            unit = _SMALL_UNITS[text]
            base = current if current is not None else {1.0}
            section = {s + b * unit for s in section for b in base}
            current = None
        elif kind == "big":
            unit = _BIG_UNITS[text]
            base = current if current is not None else {0.0}
            totals = {t + (s + b) * unit for t in totals for s in section for b in base}
            section, current = {0.0}, None
        elif kind in ("word", "suffix"):
            scale = (_SCALE_WORDS | _SCALE_SUFFIXES)[text.strip().lower()]
            base = current if current is not None else {1.0}
            scaled = {b * scale for b in base}
            # "5m" may be five metres, "3.5 billion" is never 3.5.
            current = scaled | base if kind == "suffix" else scaled
    rest = current if current is not None else {0.0}
    return {round(t + s + r, 6) for t in totals for s in section for r in rest}


def _kanji_digits(text: str) -> int:
    return int("".join(str(_KANJI_DIGITS[c]) for c in text))


def _literal_values(text: str, decimal_comma: bool) -> set[float]:
    decimal_sep, group_sep = (",", ".") if decimal_comma else (".", ",")
    seps = [c for c in text if c in ".,"]
    if not seps:
        return {float(text)}
    parts = re.split(r"[.,]", text)
    if len(set(seps)) == 2:
        last = seps[-1]
        whole = text[: text.rfind(last)].replace(".", "").replace(",", "")
        return {float(f"{whole}.{parts[-1]}")}
    sep = seps[0]
    thousands_shaped = all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3
    if len(seps) > 1:
        if thousands_shaped:
            return {float("".join(parts))}
        return {float(p) for p in parts}
    if sep == group_sep and thousands_shaped:
        return {float("".join(parts))}
    if sep == decimal_sep:
        return {float(f"{parts[0]}.{parts[1]}")}
    # A separator that is neither (1,5 in English): a list or a foreign decimal.
    return {float(f"{parts[0]}.{parts[1]}"), float(parts[0]), float(parts[1])}


# --- repetition ---------------------------------------------------------------------------


def _loops(text: str) -> list[str]:
    units = []
    if _some_word_thrice(text):
        for match in _WORD_LOOP_RE.finditer(text):
            if _LETTER_RE.search(match.group("unit")):
                units.append(match.group("unit"))
    units.extend(m.group("unit") for m in _CJK_LOOP_RE.finditer(text))
    units.extend(m.group("unit") for m in _CJK_CHAR_LOOP_RE.finditer(text))
    return units


def _some_word_thrice(text: str) -> bool:
    """Whether a word occurs three times, as ``_WORD_LOOP_RE``'s back-reference compares
    them: a loop's unit starts with a whole word that every repeat starts with again, so
    without one the expression cannot match and is not run.

    The back-reference compares case-insensitively by each character's simple lower case,
    which ``str.lower`` gives but for İ (whose lower case is two characters) and a final Σ
    (made ς in context); ``\\w`` holds a character exactly when it holds its lower case.
    """
    words = _WORD_CHARS_RE.findall(text)
    if len(words) < 3:
        return False
    keys = Counter(w.replace("\u0130", "i").replace("\u03a3", "\u03c3").lower() for w in words)
    return max(keys.values()) >= 3


def _repetition(source: str, final: str) -> QAFlag | None:
    loops = _loops(final)
    if not loops or _loops(source):
        return None
    unit = loops[0]
    return QAFlag(
        FlagCode.REPETITION,
        f"'{unit}' repeats three or more times in a row — a model loop; re-translate or edit",
        Severity.ERROR,
    )


# --- length ratio -------------------------------------------------------------------------


def _ratio_bounds(source_lang: str, target_lang: str) -> tuple[float, float] | None:
    src, tgt = normalise_code(source_lang), normalise_code(target_lang)
    if (src, tgt) in _RATIO_BOUNDS:
        return _RATIO_BOUNDS[(src, tgt)]
    if src not in _DENSE:
        return _ALPHABETIC_TO.get(tgt)
    return None


def _length_ratio(source: str, final: str, source_lang: str, target_lang: str) -> QAFlag | None:
    bounds = _ratio_bounds(source_lang, target_lang)
    src_len = len(_SPACE_RE.sub("", source))
    if bounds is None or src_len < MIN_RATIO_CHARS:
        return None
    ratio = len(_SPACE_RE.sub("", final)) / src_len
    low, high = bounds
    if low <= ratio <= high:
        return None
    which = "short" if ratio < low else "long"
    pair = f"{normalise_code(source_lang)}→{normalise_code(target_lang)}"
    return QAFlag(
        FlagCode.LENGTH_RATIO,
        f"the translation is unusually {which}: {ratio:.2f}× the source length "
        f"(expected {low:g}–{high:g} for {pair}); "
        "check for dropped or invented text",
    )
