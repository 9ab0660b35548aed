"""Enforcement beyond the sentence table: protect strategy, invariants, source matching."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.glossary import Glossary, apply_changes, glossary_from_text, load_glossary
from l10n.text.placeholders import make_placeholder

ROOT = Path(__file__).resolve().parent.parent
LEADERS = load_glossary(ROOT / "glossaries" / "leaders.yaml")

PROTECT = """\
version: 1
strategy: protect
entries:
  - id: sanae-takaichi
    type: person
    source: Sanae Takaichi
    targets: {ja: 高市早苗, ko: 다카이치 사나에}
    variants: {ja: [タカイチ・サナエ]}
  - id: tokyo
    type: place
    source: Tokyo
    strategy: post-edit
    targets: {ja: 東京, ko: 도쿄}
    variants: {ko: [동경]}
  - id: nara
    type: place
    source: Nara
    targets: {ja: 奈良, ko: 나라}
"""


@pytest.fixture
def protecting() -> Glossary:
    return glossary_from_text(PROTECT)


def test_protect_replaces_only_protected_entries(protecting: Glossary) -> None:
    protection = protecting.protect("Sanae Takaichi flew from Tokyo to Nara.", "ko")
    assert protection.text == f"{make_placeholder(1)} flew from Tokyo to {make_placeholder(2)}."
    assert [(s.number, s.entry_id) for s in protection.slots] == [
        (1, "sanae-takaichi"),
        (2, "nara"),
    ]


def test_post_edit_glossary_sends_source_unchanged() -> None:
    source = "Sanae Takaichi flew from Tokyo."
    assert LEADERS.protect(source, "ja").text == source


def test_placeholders_restored_and_particles_fixed(protecting: Glossary) -> None:
    source = "Sanae Takaichi flew from Tokyo to Nara."
    protection = protecting.protect(source, "ko")
    mt = "⟦1⟧은 동경에서 ⟦2⟧으로 날아갔다."
    result = protecting.enforce("ko", source, mt, protection=protection)
    assert result.text == "다카이치 사나에는 도쿄에서 나라로 날아갔다."
    # placeholders are restored first, then the post-edit pass runs over the result
    assert [c.rule for c in result.changes] == [
        "placeholder",
        "ko-particle",
        "placeholder",
        "ko-particle",
        "variant",
    ]
    assert result.unresolved == []
    assert apply_changes(mt, result.changes) == result.text


def test_duplicated_placeholder_is_removed_and_flagged(protecting: Glossary) -> None:
    source = "Sanae Takaichi spoke."
    protection = protecting.protect(source, "ja")
    result = protecting.enforce("ja", source, "⟦1⟧は⟦1⟧と話した。", protection=protection)
    assert result.text == "高市早苗はと話した。"
    assert "placeholder-duplicated" in [f.code for f in result.flags]


def test_mangled_placeholder_is_restored(protecting: Glossary) -> None:
    source = "Sanae Takaichi spoke."
    protection = protecting.protect(source, "ja")
    result = protecting.enforce("ja", source, "[1]が演説した。", protection=protection)
    assert result.text == "高市早苗が演説した。"
    assert [c.rule for c in result.changes] == ["placeholder-mangled"]


def test_dropped_placeholder_falls_back_to_post_edit(protecting: Glossary) -> None:
    source = "Sanae Takaichi met Nara officials."
    protection = protecting.protect(source, "ja")
    result = protecting.enforce(
        "ja", source, "タカイチ・サナエは⟦2⟧の職員と会った。", protection=protection
    )
    assert result.text == "高市早苗は奈良の職員と会った。"
    assert sorted(c.rule for c in result.changes) == ["placeholder", "variant"]


def test_placeholder_lost_without_any_variant_is_unresolved(protecting: Glossary) -> None:
    source = "Sanae Takaichi spoke."
    protection = protecting.protect(source, "ja")
    result = protecting.enforce("ja", source, "首相が演説した。", protection=protection)
    assert result.unresolved == ["sanae-takaichi"]


def test_stored_mt_with_placeholders_is_restored_without_protection(protecting: Glossary) -> None:
    result = protecting.enforce("ja", "Sanae Takaichi spoke.", "⟦1⟧が演説した。")
    assert result.text == "高市早苗が演説した。"


def test_longest_match_first_and_spelling_variants() -> None:
    mentions = LEADERS.mentions("Prime Minister Sanae Takaichi met Lee Jae-Myung in Nara.")
    assert [m.entry_id for m in mentions] == ["sanae-takaichi", "lee-jae-myung", "nara"]
    assert [m.surface for m in mentions][1] == "Lee Jae-Myung"


def test_whole_words_only() -> None:
    assert (
        LEADERS.mentions("Narayan flew to Leeds and Tokyoites cheered.", "Lee Jae Myung spoke.")
        == []
    )


def test_all_caps_headline_matches() -> None:
    mentions = LEADERS.mentions("XI JINPING AND KIM JONG UN MEET IN PYONGYANG")
    assert [m.entry_id for m in mentions] == ["xi-jinping", "kim-jong-un", "pyongyang"]


def test_lower_case_word_in_normal_text_is_not_a_name() -> None:
    assert LEADERS.mentions("The nara tree and the seoul food stall.") == []


def test_short_form_needs_the_full_name_in_the_same_article() -> None:
    assert LEADERS.mentions("Kim spoke.") == []
    assert LEADERS.mentions("Kim spoke.", "Kim Yuna won.") == []
    assert [m.entry_id for m in LEADERS.mentions("Kim spoke.", "Kim Jong Un arrived.")] == ["kim"]
    # a growing context (sentence by sentence) keeps answering correctly
    context = "Kim Jong Un arrived."
    for extra in (" He waved.", " Officials cheered.", " Then it rained."):
        context += extra
        assert [m.entry_id for m in LEADERS.mentions("Kim left.", context)] == ["kim"]
    assert LEADERS.mentions("Kim left.", "A different story.") == []


def test_unresolved_and_latin_flags() -> None:
    result = LEADERS.enforce(
        "ja", "Kim Jong Un met Vladimir Putin.", "北朝鮮の指導者はVladimir Putinと会った。"
    )
    assert result.unresolved == ["kim-jong-un"]
    codes = [(f.code, f.entry_id) for f in result.flags]
    assert ("unresolved-term", "kim-jong-un") in codes
    assert [f.code for f in result.flags].count("latin-leftover") == 2


def test_other_target_language_is_untouched() -> None:
    result = LEADERS.enforce("fr", "Tokyo.", "Tokyo.")
    assert result.text == "Tokyo." and result.changes == []


# -- properties -------------------------------------------------------------------

NAMES = [e.source for e in LEADERS.entries if not e.short_form_of]
FILLER_EN = ["The talks", "went well", "in the region", "officials said", "on Monday"]
KO_PIECES = [
    "동경",
    "북경은",
    "리재명",
    "나라",
    "회담이",
    "잘",
    "진행됐다",
    "타카이치 사나에",
    "습근평과",
    "경도",
    "와싱톤",
    "Tokyo",
    "Seoul",
    "대판으로",
    "은",
    "을",
    " ",
    "。",
    "タカイチ",
]
JA_PIECES = [
    "トウキョウ",
    "リーダー",
    "タカイチ・サナエ",
    "は",
    "が",
    "キム・ジョンウン",
    "シー氏",
    "Lee Jae Myung",
    "ナラ",
    "会談",
    "、",
    "。",
    " ",
    "李",
    "リー",
]

sources = st.lists(st.sampled_from(NAMES + FILLER_EN), min_size=1, max_size=6).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(
    source=sources,
    pieces=st.lists(st.sampled_from(KO_PIECES + JA_PIECES), max_size=12),
    lang=st.sampled_from(["ja", "ko"]),
)
def test_idempotent_and_log_replays(source: str, pieces: list[str], lang: str) -> None:
    mt = "".join(pieces)
    first = LEADERS.enforce(lang, source, mt)
    assert apply_changes(mt, first.changes) == first.text
    shift_free = mt
    for change in first.changes:
        assert 0 <= change.start <= change.end <= len(shift_free)
        shift_free = shift_free[: change.start] + change.after + shift_free[change.end :]
    second = LEADERS.enforce(lang, source, first.text)
    assert second.changes == []
    assert second.text == first.text
    assert second.unresolved == first.unresolved


@settings(max_examples=200, deadline=None)
@given(
    source=st.lists(st.sampled_from(FILLER_EN), min_size=1, max_size=5).map(" ".join),
    pieces=st.lists(st.sampled_from(KO_PIECES + JA_PIECES), max_size=12),
    lang=st.sampled_from(["ja", "ko"]),
)
def test_source_without_terms_leaves_mt_alone(source: str, pieces: list[str], lang: str) -> None:
    mt = "".join(pieces)
    result = LEADERS.enforce(lang, source, mt)
    assert result.text == mt
    assert result.changes == [] and result.unresolved == []
