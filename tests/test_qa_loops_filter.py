"""The word-loop expression runs only on texts where some word occurs three times: the same
loops as running it on every text."""

import random
import re
import sys

from l10n.correct import qa


def unfiltered(text: str) -> list[str]:
    units = [
        m.group("unit")
        for m in qa._WORD_LOOP_RE.finditer(text)
        if qa._LETTER_RE.search(m.group("unit"))
    ]
    units.extend(m.group("unit") for m in qa._CJK_LOOP_RE.finditer(text))
    units.extend(m.group("unit") for m in qa._CJK_CHAR_LOOP_RE.finditer(text))
    return units


def test_a_word_character_has_a_word_character_for_lower_case():
    word = re.compile(r"\w")
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        lower = "i" if ch == "\u0130" else ch.lower()
        assert len(lower) == 1, hex(cp)
        assert bool(word.match(ch)) == bool(word.match(lower)), hex(cp)


def test_loops_are_found_as_without_the_filter():
    words = ["the", "The", "THE", "talks", "Talks", "İstanbul", "istanbul", "ΟΔΟΣ", "οδοσ",
             "οδος", "Kelvin", "\u212aelvin", "a", "b", "1", "_", "会談", "회담", "ｔａｌｋｓ",
             "ＴＡＬＫＳ"]  # fmt: skip
    gaps = [" ", ", ", " - ", "… ", "", "\n"]
    rng = random.Random(22)
    looped = 0
    for _ in range(4000):
        unit = "".join(rng.choice(words) + rng.choice(gaps) for _ in range(rng.randint(1, 4)))
        text = unit * rng.randint(1, 3) + rng.choice(words)
        assert qa._loops(text) == unfiltered(text), text
        looped += bool(unfiltered(text))
    assert looped > 1000  # enough of the mixtures loop for the comparison to mean something


def test_a_loop_of_differently_cased_words_is_still_found():
    text = "İstanbul istanbul İSTANBUL talks"
    assert qa._loops(text) == unfiltered(text) != []
    assert qa._loops("ΟΔΟΣ οδοσ Οδοσ") == unfiltered("ΟΔΟΣ οδοσ Οδοσ") != []
