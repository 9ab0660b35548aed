"""Matching through encoding differences, with edits landing on the original bytes."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.text.normalize import normalize_for_matching


def test_plain_text_is_its_own_map() -> None:
    norm = normalize_for_matching("Lee Jae Myung met 高市早苗 in 서울.")
    assert norm.identity and norm.text == norm.original
    assert norm.span(4, 7) == (4, 7)


def test_width_forms_fold_and_map_back() -> None:
    norm = normalize_for_matching("ﾄｳｷｮｳとＳｅｏｕｌ")
    assert norm.text == "トウキョウとSeoul"
    assert norm.span(0, 5) == (0, 5)
    assert norm.original[slice(*norm.span(6, 11))] == "Ｓｅｏｕｌ"


def test_voiced_half_width_kana_compose() -> None:
    norm = normalize_for_matching("ｶﾞｲﾑ")
    assert norm.text == "ガイム"
    assert norm.span(0, 1) == (0, 2)


def test_zero_width_characters_vanish_inside_a_name_only_in_matching() -> None:
    text = "이재\u200b명은\u00ad 말했다"
    norm = normalize_for_matching(text)
    assert norm.text == "이재명은 말했다"
    assert norm.span(0, 3) == (0, 4)  # the name's span includes the zero-width space


def test_decomposed_hangul_composes() -> None:
    nfd = unicodedata.normalize("NFD", "도쿄는 크다")
    norm = normalize_for_matching(nfd)
    assert norm.text == "도쿄는 크다"
    a, b = norm.span(0, 2)
    assert unicodedata.normalize("NFC", nfd[a:b]) == "도쿄"


def test_spaces_fold_to_one() -> None:
    norm = normalize_for_matching("Lee\u00a0Jae \u3000 Myung")
    assert norm.text == "Lee Jae Myung"
    assert norm.original[slice(*norm.span(4, 7))] == "Jae"


NOISE = st.sampled_from(["\u200b", "\u00a0", "\u00ad", "\ufeff", "  ", "\u3000", "\u2009"])
PIECES = st.sampled_from(
    ["도쿄", "이재명", "トウキョウ", "ﾄｳｷｮｳ", "Ｓｅｏｕｌ", "Tokyo", "、", " ", "은"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, NOISE), max_size=12))
def test_every_normalised_span_maps_to_an_original_span_with_the_same_text(
    pieces: list[str],
) -> None:
    text = "".join(pieces)
    norm = normalize_for_matching(text)
    for start in range(len(norm.text)):
        for end in range(start + 1, len(norm.text) + 1):
            a, b = norm.span(start, end)
            assert 0 <= a <= b <= len(text)
            again = normalize_for_matching(text[a:b]).text
            assert again.strip() == norm.text[start:end].strip()
