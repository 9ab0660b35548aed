"""How a Korean word ends when read aloud: the sound its particles agree with.

A particle after a word is chosen by the word's last sound: a final consonant (받침)
or not, and for the 으로 family whether that consonant is ㄹ. The word may end in a
hangul syllable, in digits (read as Sino-Korean numerals: 4 사, 10 십, 16 육), in Latin
capitals (read as letter names: M 엠, L 엘, S 에스) or in closing quotes, brackets and
punctuation, which are skipped: "도쿄"라고, 라이칭더(사진)는 — a parenthetical after a
word is an aside and the particle still agrees with the word.

The particle grammar itself is in :mod:`l10n.glossary.korean_particles`.
"""

from __future__ import annotations

import re
import unicodedata

NO_FINAL = 0
RIEUL = 8
"""Index of ㄹ among the final consonants (0 = none, 1 = ㄱ … 27 = ㅎ)."""

_FINALS = {
    "ㄱ": 1, "ㄴ": 4, "ㄷ": 7, "ㄹ": 8, "ㅁ": 16, "ㅂ": 17, "ㅅ": 19, "ㅇ": 21, "": 0,
}  # fmt: skip

# Sino-Korean digits (영 일 이 삼 사 오 육 칠 팔 구) and place words (십 백 천; 만 억 조 경 해).
_DIGIT_FINAL = tuple(_FINALS[c] for c in ("ㅇ", "ㄹ", "", "ㅁ", "", "", "ㄱ", "ㄹ", "ㄹ", ""))
_PLACE_FINAL = {1: _FINALS["ㅂ"], 2: _FINALS["ㄱ"], 3: _FINALS["ㄴ"]}
_GROUP_FINAL = (_FINALS["ㄴ"], _FINALS["ㄱ"], _FINALS[""], _FINALS["ㅇ"], _FINALS[""])

# Letter names as Korean reads an acronym: 엘 엠 엔 알 end in a consonant, the rest
# (에이 비 씨 디 이 에프 지 에이치 아이 제이 케이 오 피 큐 에스 티 유 브이 더블유 엑스
# 와이 제트) in a vowel.
_LETTER_FINAL = {"L": _FINALS["ㄹ"], "M": _FINALS["ㅁ"], "N": _FINALS["ㄴ"], "R": _FINALS["ㄹ"]}

# Acronyms read as words rather than letter by letter (에이펙, 오펙, 나스닥, 알셉, 아이펙).
_WORD_ACRONYMS = {"APEC": 1, "OPEC": 1, "NASDAQ": 1, "RCEP": 17, "IPEF": 1}

# Hangul compatibility jamo read as their names (ㄱ 기역, ㄴ 니은 … ㅏ 아).
_JAMO_NAME_FINAL = {
    "ㄱ": 1, "ㄲ": 1, "ㄴ": 4, "ㄷ": 7, "ㄸ": 7, "ㄹ": 8, "ㅁ": 16, "ㅂ": 17, "ㅃ": 17,
    "ㅅ": 19, "ㅆ": 19, "ㅇ": 21, "ㅈ": 22, "ㅉ": 22, "ㅊ": 23, "ㅋ": 24, "ㅌ": 25, "ㅍ": 26,
    "ㅎ": 27,
}  # fmt: skip

CLOSING_QUOTES = "\"'”’」』》〉›»〞＂＇"
_TRAILING_SKIP = CLOSING_QUOTES + ".,!?…~·:;-–—"
_BRACKETS = {")": "(", "]": "[", "）": "（", "］": "［", "】": "【", "〕": "〔", "}": "{"}

_NUMBER_RE = re.compile(r"(\d[\d,]*)(?:\.(\d+))?$")
_LATIN_RE = re.compile(r"[A-Za-z]+$")


def is_syllable(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def is_hangul(ch: str) -> bool:
    return is_syllable(ch) or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def number_final(digits: str, decimals: str | None = None) -> int | None:
    """Final consonant of a number read in Sino-Korean (``"10"`` 십 → ㅂ, ``"3.14"`` 사 → none)."""
    if decimals:
        return _DIGIT_FINAL[int(decimals[-1])]
    digits = digits.replace(",", "")
    stripped = digits.rstrip("0")
    if not stripped:
        return _DIGIT_FINAL[0]
    zeros = len(digits) - len(stripped)
    if zeros == 0:
        return _DIGIT_FINAL[int(stripped[-1])]
    if zeros < 4:
        return _PLACE_FINAL[zeros]
    group = zeros // 4 - 1
    return _GROUP_FINAL[group] if group < len(_GROUP_FINAL) else None


def _insignificant(ch: str) -> bool:
    """Punctuation, symbols and private-use marks: not read aloud (^_^, ‥, !)."""
    return ch in _TRAILING_SKIP or (
        ch not in _BRACKETS and unicodedata.category(ch)[0] in "PSC" and not ch.isspace()
    )


def _strip_trailing(text: str) -> str:
    """``text`` without trailing quotes, punctuation, symbols and bracketed asides."""
    while text:
        last = text[-1]
        if _insignificant(last):
            text = text[:-1]
            continue
        opener = _BRACKETS.get(last)
        if opener is None:
            return text
        depth, index = 0, len(text) - 1
        while index >= 0:
            if text[index] == last:
                depth += 1
            elif text[index] == opener:
                depth -= 1
                if depth == 0:
                    break
            index -= 1
        # an unmatched bracket is skipped alone; a matched aside is skipped whole
        text = text[:-1] if index < 0 else text[:index]
    return text


def coda(text: str) -> int | None:
    """The final consonant (0 = none) of how ``text`` ends when read; None when unknown.

    Closing quotes, punctuation and bracketed asides at the end are skipped, so
    ``coda('"도쿄"')`` and ``coda("라이칭더(사진)")`` read the name itself.
    """
    text = _strip_trailing(text)
    if not text:
        return None
    last = text[-1]
    if is_syllable(last):
        return (ord(last) - 0xAC00) % 28
    if last.isdigit() and last.isascii():
        match = _NUMBER_RE.search(text)
        if match is None:
            return None
        return number_final(match.group(1), match.group(2))
    if last in _JAMO_NAME_FINAL:
        return _JAMO_NAME_FINAL[last]
    if "ㅏ" <= last <= "ㅣ":
        return NO_FINAL
    if last.isascii() and last.isalpha():
        letters = _LATIN_RE.search(text)
        word = letters.group(0) if letters else last
        if word in _WORD_ACRONYMS:
            return _WORD_ACRONYMS[word]
        if word.isupper() or len(word) == 1:
            return _LETTER_FINAL.get(last.upper(), NO_FINAL)
        return None
    return None
