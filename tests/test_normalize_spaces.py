"""A lone plain space stays inside the plain text around it: the same text and offset map
as when every space was a match of its own (``test_normalize_runs.reference``), also for
scripts whose marks NFC reorders, composes or expands (Arabic, Hebrew, Tibetan, Devanagari)
and for singletons NFC replaces (Ångström sign)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_normalize_runs import reference

from l10n.text.normalize import normalize_for_matching

_ALPHABET = [
    " ", "  ", "a", "Z", "1", ".", "\u3000", "\u200b", "\t", "가", "\u1161", "か", "\u3099",
    "Ｓ", "ｶ", "ﾞ", "e\u0301", " \u0301", "\u212b", "\u0f73", "\u0627", "\u0653", "\u0654",
    "\u05b0", "\u05b8", "\u0915", "\u093c", "\u2adc", "\u0301", "\uffe3",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=30).map("".join))
def test_lone_spaces_inside_plain_text_map_as_before(text: str) -> None:
    got = normalize_for_matching.__wrapped__(text)
    if got.identity:
        assert reference(text).text == text
    else:
        assert got == reference(text)


def test_a_sentence_with_a_reordered_mark_and_an_expanding_one_maps_as_before() -> None:
    text = "\u0627\u0654\u0653 word \u0f73 ｶﾞ next"
    got = normalize_for_matching.__wrapped__(text)
    assert not got.identity
    assert got == reference(text)
