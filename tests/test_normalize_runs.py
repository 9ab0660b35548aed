"""Width runs folded a run at a time, and the cache: the same answers as one cluster at a time.

The reference below is the per-character algorithm the run path replaced, written out here
so any text, width forms, voicing marks, spaces and zero-width characters mixed, must
normalise to exactly the same text and the same offset map.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.text.normalize import (
    _EXTENDERS,
    SPACES,
    ZERO_WIDTH,
    NormalizedText,
    _fold,
    normalize_for_matching,
)

_ALPHABET = (
    "aZ 1,.\t\u00a0\u200b\u00ad\u3000가각\u1100\u1161\u11a8かが\u3099\u309a"
    "ＡｚＳｅｏｕｌ０９（）ｶｷﾄｳﾞﾟ\uffa1\uffe3\uffe0\uffe8e\u0301"
)


def reference(text: str) -> NormalizedText:
    """One match per width character (the algorithm before runs were folded whole)."""
    import re

    special = re.compile(
        "(?P<space>[" + "".join(sorted(SPACES | ZERO_WIDTH)) + "]+)"
        "|(?P<cluster>.[" + _EXTENDERS + "]+)"
        "|(?P<width>[\uff01-\uffee])",
        re.DOTALL,
    )
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def cluster(a: int, b: int) -> None:
        folded = _fold(text[a:b])
        pieces.append(folded)
        starts.extend([a] * len(folded))
        ends.extend([b] * len(folded))

    def plain(a: int, b: int) -> None:
        run = text[a:b]
        folded = unicodedata.normalize("NFC", run)
        if len(folded) == len(run):
            pieces.append(folded)
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
            return
        for index in range(a, b):
            cluster(index, index + 1)

    last = 0
    for match in special.finditer(text):
        a, b = match.span()
        if a > last:
            plain(last, a)
        if match.lastgroup == "space":
            if "".join(ch for ch in match.group(0) if ch not in ZERO_WIDTH):
                pieces.append(" ")
                starts.append(a)
                ends.append(b)
        else:
            cluster(a, b)
        last = b
    if last < len(text):
        plain(last, len(text))
    return NormalizedText("".join(pieces), text, tuple(starts), tuple(ends))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_runs_fold_like_one_character_at_a_time(text: str) -> None:
    got = normalize_for_matching(text)
    if got.identity:
        assert reference(text).text == text
    else:
        assert got == reference(text)


def test_a_width_run_folds_and_maps_each_character() -> None:
    norm = normalize_for_matching("ｻﾝ ＳＥＯＵＬ ｶﾞｲﾑ")
    assert norm.text == "サン SEOUL ガイム"
    assert norm.span(3, 8) == (3, 8)
    assert norm.span(9, 10) == (9, 11)  # ガ covers ｶ and its voicing mark


def test_full_width_words_with_single_spaces_fold_as_one_run() -> None:
    text = "Ｐｒｉｍｅ Ｍｉｎｉｓｔｅｒ  ｓａｉｄ\u3000ｓｏ"
    norm = normalize_for_matching(text)
    assert norm == reference(text)
    assert norm.text == "Prime Minister said so"
    assert norm.span(15, 19) == (16, 20)  # after the double space, folded to one


def test_the_same_text_is_normalised_once() -> None:
    text = "Ｔａｌｋｓ ｉｎ Ｓｅｏｕｌ, item 7"
    normalize_for_matching.cache_clear()
    first = normalize_for_matching(text)
    again = normalize_for_matching(text)
    assert again is first
    assert normalize_for_matching.cache_info().hits == 1
