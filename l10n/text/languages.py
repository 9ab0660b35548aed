"""Language facts: codes, names, scripts and how each language is written.

Every module asks here instead of keeping its own set of "languages without
spaces" or its own script ranges, so adding a language is one edit.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

TARGET_LANGUAGES: tuple[str, ...] = ("ja", "ko")
"""Languages l10n translates into."""

PIVOT = "en"
"""The language Argos packages pivot through when there is no direct package."""


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    script: str
    spaceless: bool = False
    """Written without spaces between words and sentences (ja, zh)."""
    cased: bool = True
    """The script has upper and lower case, so a capital can start a sentence."""
    decimal_comma: bool = False
    """Writes 1.234,5 rather than 1,234.5."""


_LANGUAGES = (
    Language("en", "English", "latin"),
    Language("ja", "Japanese", "kana", spaceless=True, cased=False),
    Language("ko", "Korean", "hangul", cased=False),
    Language("zh", "Chinese", "han", spaceless=True, cased=False),
    Language("th", "Thai", "thai", spaceless=True, cased=False),
    Language("vi", "Vietnamese", "latin", decimal_comma=True),
    Language("id", "Indonesian", "latin", decimal_comma=True),
    Language("fr", "French", "latin", decimal_comma=True),
    Language("de", "German", "latin", decimal_comma=True),
    Language("es", "Spanish", "latin", decimal_comma=True),
    Language("pt", "Portuguese", "latin", decimal_comma=True),
    Language("it", "Italian", "latin", decimal_comma=True),
    Language("nl", "Dutch", "latin", decimal_comma=True),
    Language("ru", "Russian", "cyrillic", decimal_comma=True),
    Language("uk", "Ukrainian", "cyrillic", decimal_comma=True),
    Language("ar", "Arabic", "arabic"),
    Language("fi", "Finnish", "latin", decimal_comma=True),
    Language("tr", "Turkish", "latin", decimal_comma=True),
    Language("pl", "Polish", "latin", decimal_comma=True),
    Language("sv", "Swedish", "latin", decimal_comma=True),
    Language("da", "Danish", "latin", decimal_comma=True),
    Language("nb", "Norwegian", "latin", decimal_comma=True),
    Language("cs", "Czech", "latin", decimal_comma=True),
    Language("sk", "Slovak", "latin", decimal_comma=True),
    Language("ro", "Romanian", "latin", decimal_comma=True),
    Language("hu", "Hungarian", "latin", decimal_comma=True),
    Language("hr", "Croatian", "latin", decimal_comma=True),
    Language("sl", "Slovenian", "latin", decimal_comma=True),
    Language("bg", "Bulgarian", "cyrillic", decimal_comma=True),
    Language("el", "Greek", "greek", decimal_comma=True),
    Language("hi", "Hindi", "devanagari"),
    Language("bn", "Bengali", "bengali"),
)
LANGUAGES: dict[str, Language] = {lang.code: lang for lang in _LANGUAGES}

_ALIASES = {"zh-cn": "zh", "zh-tw": "zh", "zh-hans": "zh", "zh-hant": "zh", "no": "nb", "jp": "ja"}
_CODE_RE = re.compile(r"[a-z]{2,3}")
_TAG_RE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


@lru_cache(maxsize=512)
def normalise_code(code: str) -> str:
    """``en-US`` → ``en``, ``zh-TW`` → ``zh``, ``KO`` → ``ko`` (a run asks for a handful of
    codes many times per segment: each is worked out once)."""
    code = code.strip().lower().replace("_", "-")
    return _ALIASES.get(code, code.split("-")[0])


def is_valid_code(code: str) -> bool:
    """A language tag (``ja``, ``en-US``, ``zh_Hant``) whose language is an ISO 639 code.

    The whole tag must be well formed: ``en-../../x`` is not a code even though it starts
    with one.
    """
    return bool(_TAG_RE.fullmatch(code.strip())) and bool(_CODE_RE.fullmatch(normalise_code(code)))


def language(code: str) -> Language | None:
    return LANGUAGES.get(normalise_code(code))


def label(code: str) -> str:
    """``Japanese (ja)``; an unknown code stands for itself."""
    known = language(code)
    return f"{known.name} ({known.code})" if known else code


def is_spaceless(code: str) -> bool:
    known = language(code)
    return bool(known and known.spaceless)


def is_cased(code: str) -> bool:
    known = language(code)
    return known.cased if known else True


def uses_decimal_comma(code: str) -> bool:
    known = language(code)
    return bool(known and known.decimal_comma)


def sentence_joiner(code: str) -> str:
    """What goes between two sentences of one paragraph."""
    return "" if is_spaceless(code) else " "


# -- scripts ---------------------------------------------------------------

EAST_ASIAN_SCRIPTS: frozenset[str] = frozenset({"hangul", "kana", "han"})
"""Hangul is written only in Korean and kana only in Japanese; Han in Chinese and Japanese."""

EAST_ASIAN_WEIGHT = 2
"""Latin letters one Hangul, kana or Han character is worth when comparing how much of a text
each script holds: a syllable or a word per character against a letter."""


def is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" or "\uff66" <= ch <= "\uff9f"


def is_han(ch: str) -> bool:
    return (
        "\u4e00" <= ch <= "\u9fff"
        or "\u3400" <= ch <= "\u4dbf"
        or "\uf900" <= ch <= "\ufaff"
        or "\U00020000" <= ch <= "\U0003134f"
    )


def script_of(ch: str) -> str | None:
    """The script of a letter (``latin``, ``kana``, ``hangul``, ``han``, …); None otherwise."""
    if not ch.isalpha():
        return None
    if ch.isascii():
        return "latin"
    if is_hangul(ch):
        return "hangul"
    if is_kana(ch):
        return "kana"
    if is_han(ch):
        return "han"
    name = unicodedata.name(ch, "")
    for prefix, script in (
        ("LATIN", "latin"),
        ("FULLWIDTH LATIN", "latin"),
        ("CYRILLIC", "cyrillic"),
        ("GREEK", "greek"),
        ("ARABIC", "arabic"),
        ("HEBREW", "hebrew"),
        ("THAI", "thai"),
        ("DEVANAGARI", "devanagari"),
        ("BENGALI", "bengali"),
    ):
        if name.startswith(prefix):
            return script
    return "other"


_SCRIPTS: dict[str, str | None] = {}
"""Each character's script, once looked up (:func:`script_of` is pure; a few thousand
distinct characters make up any news text)."""


def script_counts(text: str) -> dict[str, int]:
    """Letters per script, with the total under ``letters``; the scripts in the order of
    their first letter in the text."""
    counts: dict[str, int] = {"letters": 0}
    # Counter keeps each character's first position, so the scripts come in text order
    for ch, count in Counter(text).items():
        script = _SCRIPTS.get(ch, "")
        if script == "":
            script = _SCRIPTS[ch] = script_of(ch)
        if script is None:
            continue
        counts["letters"] += count
        counts[script] = counts.get(script, 0) + count
    return counts


_EVIDENCE = {
    "ja": frozenset({"kana", "han"}),
    "ko": frozenset({"hangul"}),
    "zh": frozenset({"han"}),
}
_NEUTRAL = {"ko": frozenset({"han"})}
"""Korean text may hold Han characters; they say nothing about the language."""


def script_mismatch(text: str, code: str) -> str | None:
    """Why ``text`` can't be in language ``code`` (its letters are mostly another language's
    script, e.g. kana labelled Korean); None when it can. Latin letters (names, acronyms) and
    languages without a known script are never held against a text."""
    lang = language(code)
    if lang is None:
        return None
    evidence = _EVIDENCE.get(lang.code, frozenset({lang.script}))
    neutral = _NEUTRAL.get(lang.code, frozenset()) | {"latin", "other"}
    counts = script_counts(text)
    own = sum(counts.get(s, 0) for s in evidence)
    foreign = {s: n for s, n in counts.items() if s != "letters" and s not in evidence | neutral}
    if foreign and sum(foreign.values()) > own:
        main = max(foreign, key=lambda s: foreign[s])
        return f"the text is written in {main}, not in {lang.name} ({lang.code})"
    return None
