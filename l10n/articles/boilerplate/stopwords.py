"""Function-word density: the share of a line that is grammar rather than names.

Running text is full of function words ("the", "of", "は", "의", "的"); menus,
link lists, credits and buttons have few (the jusText observation). Latin-script
languages use jusText's stoplists (BSD licence, read from the installed
package, not copied here); Japanese, Chinese and Korean are not split into
words by spaces, so they count characters or word endings instead.
"""

from __future__ import annotations

import functools
import re

# jusText stoplist names of the Latin-script languages whose pages we expect.
_STOPLISTS = ("English", "Indonesian", "Vietnamese", "French", "German", "Spanish")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

# Particles and verb endings that close a Korean eojeol in running text.
_KO_ENDINGS = frozenset(
    "은는이가을를에의로도와과만서고며면다요게지한된할인적던해했까야죠나데며써께"
)
# Chinese function characters (particles, prepositions, auxiliaries, pronouns).
_ZH_FUNCTION = frozenset(
    "的了是在和与及对也将就都而为被把从这那其之于以但并已还又等着过个们所该此向称说"
)


@functools.lru_cache(maxsize=1)
def _stoplists() -> tuple[frozenset[str], ...]:
    import justext

    return tuple(justext.get_stoplist(name) for name in _STOPLISTS)


def latin_density(text: str) -> float:
    """Share of words in the best-fitting stoplist (0 for a line without words)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    return max(sum(1 for w in words if w in stop) / len(words) for stop in _stoplists())


def korean_density(text: str) -> float:
    """Share of eojeol that end in a particle or a verb ending."""
    words = [w.strip(".,!?\"'“”‘’()[]「」『』…·") for w in text.split()]
    words = [w for w in words if w]
    if not words:
        return 0.0
    return sum(1 for w in words if w[-1] in _KO_ENDINGS) / len(words)


def japanese_density(text: str) -> float:
    """Share of hiragana among the letters: particles and inflections are written in it."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "\u3041" <= ch <= "\u309f") / len(letters)


def chinese_density(text: str) -> float:
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return 0.0
    return sum(1 for ch in han if ch in _ZH_FUNCTION) / len(han)


def english_function_word(word: str) -> bool:
    """A word of the English stoplist ("this", "with"): no sign of a shared topic."""
    return word.casefold() in _stoplists()[0]
