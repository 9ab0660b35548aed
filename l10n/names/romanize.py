"""Romanising hangul, kana and kanji, and comparing a romanised form with an English name.

Hangul is romanised by our own rules: a syllable decomposes into its jamo by Unicode
arithmetic, and each jamo has one Revised Romanization spelling, so no library is needed.
Kana and kanji go through pykakasi (pure Python, its own dictionary, no model weights):
kanji readings need a dictionary, and pykakasi is the maintained one that does not need
MeCab. Readings are cached: a run repeats the same names.

:func:`skeleton` folds the differences that spelling conventions make (Cho/Jo, Hyun/Hyeon,
Takeshi/Takesi), so :func:`similarity` compares how a name sounds, not how it is spelled.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")  # fmt: skip
_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i")  # fmt: skip
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "p", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3

KOREAN_SURNAMES = {
    "lee": "i", "rhee": "i", "yi": "i", "rhie": "i", "park": "bak", "pak": "bak",
    "bahk": "bak", "choi": "choe", "choe": "choe", "cho": "jo", "jo": "jo", "chough": "jo",
    "jung": "jeong", "chung": "jeong", "jeong": "jeong", "kang": "gang", "yoon": "yun",
    "yun": "yun", "shin": "sin", "oh": "o", "suh": "seo", "seo": "seo", "kwon": "gwon",
    "ahn": "an", "chun": "jeon", "jeon": "jeon", "jun": "jeon", "ko": "go", "koh": "go",
    "moon": "mun", "sohn": "son", "baek": "baek", "paik": "baek", "hur": "heo", "heo": "heo",
    "noh": "no", "roh": "no", "kwak": "gwak", "sung": "seong", "joo": "ju", "woo": "u",
    "ryu": "ryu", "yoo": "yu", "yu": "yu", "lim": "im", "rim": "im", "im": "im", "kim": "gim",
    "gim": "gim", "hong": "hong", "han": "han", "nam": "nam", "song": "song", "yang": "yang",
    "bae": "bae", "ha": "ha", "cha": "cha", "na": "na", "min": "min", "hwang": "hwang",
}  # fmt: skip
"""English spellings of Korean family names and their Revised Romanization."""
HANGUL_SURNAMES = frozenset(
    "김이박최정강조윤신오서권안전고문손백허노곽성주우류유임홍한남송양배하차나민황"
)
"""The same family names in hangul (one syllable for each romanization of the table)."""

_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\u3005]")


def hangul_roman(text: str) -> str:
    """Revised Romanization of the hangul in ``text``, syllable by syllable."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            offset = code - _HANGUL_FIRST
            out.append(
                _INITIALS[offset // 588] + _VOWELS[(offset % 588) // 28] + _FINALS[offset % 28]
            )
        elif char.isalpha():
            out.append(char.lower())
        else:
            out.append(" ")
    return "".join(out)


@lru_cache(maxsize=1)
def _kakasi() -> object:
    import pykakasi  # its dictionary loads on first use only

    return pykakasi.kakasi()


@lru_cache(maxsize=65536)
def kana_kanji_roman(text: str) -> str:
    """Hepburn reading of kana and kanji (pykakasi); other letters lower-cased."""
    converted = _kakasi().convert(text)  # type: ignore[attr-defined]
    return " ".join(str(part["hepburn"]) for part in converted).replace("・", " ")


@lru_cache(maxsize=65536)
def romanize(text: str) -> str:
    """``text`` in Latin letters, whatever its script (hangul, kana, kanji or Latin)."""
    if _KANA_KANJI.search(text):
        return kana_kanji_roman(text)
    return hangul_roman(text)


_DIGRAPHS = (
    ("tch", "j"), ("ch", "j"), ("sh", "s"), ("zh", "j"), ("ts", "j"), ("kk", "k"), ("tt", "t"),
    ("pp", "p"), ("ss", "s"), ("jj", "j"), ("eo", "u"), ("eu", "u"), ("ae", "e"), ("wo", "o"),
    ("ou", "o"), ("uu", "u"), ("oo", "u"), ("ee", "i"), ("yu", "u"), ("yo", "o"),
    ("ye", "e"), ("ng", "n"), ("si", "i"), ("ji", "i"),
)  # fmt: skip
_LETTERS = str.maketrans("gdbflzcvqxw", "ktpprjkpksu")
_NOT_LETTER = re.compile(r"[^a-z]+")
_REPEAT = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def skeleton(roman: str) -> str:
    """How a romanised name sounds, spelling conventions folded (Cho Hyun ≈ Jo Hyeon)."""
    text = _NOT_LETTER.sub("", roman.lower())
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    text = text[:1] + text[1:].replace("h", "")
    text = text.translate(_LETTERS)
    return _REPEAT.sub(r"\1", text)


@lru_cache(maxsize=65536)
def source_keys(name: str, *, korean: bool) -> tuple[str, ...]:
    """Skeletons an English name may sound like, in either order of its parts.

    ``korean``: also with English spellings of Korean family names replaced by their
    romanization (Lee → i, Park → bak), as hangul is romanised.
    """
    parts = [p for p in re.split(r"[\s\-]+", name.lower()) if p]
    forms = [parts]
    if korean:
        forms.append([KOREAN_SURNAMES.get(p, p) for p in parts])
    keys: list[str] = []
    for form in forms:
        for order in (form, form[::-1]):
            key = skeleton("".join(order))
            if key not in keys:
                keys.append(key)
    return tuple(keys)


def ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def similarity(candidate: str, keys: tuple[str, ...]) -> float:
    """How close the romanised ``candidate`` sounds to the best of ``keys`` (0…1)."""
    key = skeleton(romanize(candidate))
    return max((ratio(key, k) for k in keys), default=0.0)
