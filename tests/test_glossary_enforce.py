"""Enforcement beyond the sentence table: protect strategy, invariants, source matching."""

from __future__ import annotations

import pickle
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
    names = LEADERS.article_names(["Lee Jae Myung spoke."])
    assert LEADERS.mentions("Narayan flew to Leeds and Tokyoites cheered.", names) == []


def test_all_caps_headline_matches() -> None:
    mentions = LEADERS.mentions("XI JINPING AND KIM JONG UN MEET IN PYONGYANG")
    assert [m.entry_id for m in mentions] == ["xi-jinping", "kim-jong-un", "pyongyang"]


def test_dateline_in_capitals_matches_but_a_lone_acronym_does_not() -> None:
    assert [m.entry_id for m in LEADERS.mentions("SEOUL (Harbor Wire) – Talks began.")] == ["seoul"]
    assert [m.entry_id for m in LEADERS.mentions("TOKYO, May 2 (Example News) - Rain.")] == [
        "tokyo"
    ]
    assert LEADERS.mentions("The NARA archive in Maryland opened.") == []


def test_lower_case_word_in_normal_text_is_not_a_name() -> None:
    assert LEADERS.mentions("The nara tree and the seoul food stall.") == []


def test_short_form_needs_the_full_name_in_the_same_article() -> None:
    assert LEADERS.mentions("Kim spoke.") == []
    assert LEADERS.mentions("Kim spoke.", LEADERS.article_names(["Kim Yuna won."])) == []
    names = LEADERS.article_names(["Kim Jong Un arrived.", "Kim spoke."])
    assert [m.entry_id for m in LEADERS.mentions("Kim spoke.", names)] == ["kim"]
    # the full name may come later, as when a headline uses the surname
    names = LEADERS.article_names(["Kim Visits Factory", "Kim Jong Un toured a plant."])
    assert [m.entry_id for m in LEADERS.mentions("Kim Visits Factory", names)] == ["kim"]


def test_article_names_is_small_and_picklable() -> None:
    names = LEADERS.article_names(
        ["Lee Jae Myung met Lee Jun-seok.", "Senator Mike Lee wrote.", "Lee spoke."] * 200
    )
    assert names.persons == frozenset({"lee-jae-myung"})
    assert names.others_for("lee") == ("Lee Jun-seok", "Mike Lee")
    data = pickle.dumps(names)
    assert len(data) < 400
    assert pickle.loads(data) == names


def test_article_names_is_linear_in_the_article() -> None:
    # one pass per segment: a long article costs its length, not its length squared
    calls = []
    original = LEADERS._matcher.find

    def counting(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return original(text)

    LEADERS._matcher.find = counting  # type: ignore[method-assign]
    try:
        LEADERS.article_names([f"Sentence {i} about Tokyo." for i in range(500)])
    finally:
        del LEADERS._matcher.find
    assert len(calls) == 500 and all(len(c) < 30 for c in calls)


def test_ambiguous_short_form_names_the_candidates() -> None:
    names = LEADERS.article_names(["Lee Jae Myung met Lee Jun-seok.", "Lee said so."])
    result = LEADERS.enforce("ko", "Lee said so.", "리는 그렇게 말했다.", names=names)
    assert result.text == "리는 그렇게 말했다." and result.changes == []
    [flag] = result.flags
    assert flag.code == "ambiguous-short-form"
    assert "Lee Jae Myung" in flag.message and "Lee Jun-seok" in flag.message


def test_ambiguous_target_is_flagged_not_guessed() -> None:
    source = "Gwangju and Guangzhou signed a pact; Guangzhou will host."
    result = LEADERS.enforce("ko", source, "광주와 광주는 협정을 맺었고 광저우가 개최한다.")
    assert result.changes == []
    assert [f.code for f in result.flags] == ["ambiguous-target"]
    assert "광주" in result.flags[0].message


def test_latin_leftover_known_to_the_glossary_says_why_it_was_left() -> None:
    result = LEADERS.enforce("ja", "Takaichi smiled.", "Takaichiは微笑んだ。")
    [flag] = result.flags
    assert flag.code == "latin-leftover"
    assert "add it to the glossary" not in flag.message
    assert "sanae-takaichi" in flag.message
    unknown = LEADERS.enforce("ja", "Modi smiled.", "Modiは微笑んだ。")
    assert "add it to the glossary?" in unknown.flags[0].message


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
# Every change is justified: nothing changes without a mention in the source; every
# change names an entry the source mentions; no change lands inside a word of another
# script; the change log replays; a second run changes nothing.

NAMES = [e.source for e in LEADERS.entries if not e.is_short]
SHORT = ["Lee", "Kim", "Xi", "Trump", "Takaichi", "Lai", "Li"]
TRAPS = ["Xi'an", "Mike Lee", "Lee Jun-seok", "Kim Yo Jong", "Donald Trump Jr.", "Leeds", "NARA"]
FILLER_EN = ["The talks", "went well", "in the region", "officials said", "on Monday"]
KO_PIECES = [
    "동경", "북경은", "리재명", "나라", "회담이", "잘", "진행됐다", "타카이치 사나에", "습근평과",
    "경도", "와싱톤", "Tokyo", "Seoul", "대판으로", "은", "을", " ", "。", "タカイチ", "리는",
    "킴은", "광주", "광주와", "\"동경\"이라고", "뢰청덕(사진)은", "동경이었다", "이 재명",
    "\u200b", "\u00a0", "Ｓｅｏｕｌ", "시진 핑", "트람프",
]  # fmt: skip
JA_PIECES = [
    "トウキョウ", "リーダー", "タカイチ・サナエ", "は", "が", "キム・ジョンウン", "シー氏",
    "Lee Jae Myung", "ナラ", "会談", "、", "。", " ", "李", "リー", "ﾄｳｷｮｳ", "光州", "高市 早苗",
    "キム氏", "トラムプ",
]  # fmt: skip
# Words of one script that contain a glossary form: they must come out whole.
DECOYS = [
    "リーダー", "シーズン", "キムチ", "ナラティブ", "トランプカード", "Tokyoites", "Leeds",
    "Xi'an", "나라얀", "김치", "리즈", "시안", "동경대학교", "Kimberley", "Seoulites",
]  # fmt: skip
sources = st.lists(st.sampled_from(NAMES + SHORT + TRAPS + FILLER_EN), min_size=1, max_size=6).map(
    " ".join
)
articles = st.lists(sources, max_size=3)
mts = st.lists(st.sampled_from(KO_PIECES + JA_PIECES + DECOYS), max_size=14).map("".join)


@settings(max_examples=250, deadline=None)
@given(source=sources, article=articles, mt=mts, lang=st.sampled_from(["ja", "ko"]))
def test_idempotent_and_log_replays(source: str, article: list[str], mt: str, lang: str) -> None:
    names = LEADERS.article_names([*article, source])
    first = LEADERS.enforce(lang, source, mt, names=names)
    assert apply_changes(mt, first.changes) == first.text
    second = LEADERS.enforce(lang, source, first.text, names=names)
    assert second.changes == []
    assert second.text == first.text
    assert second.unresolved == first.unresolved


@settings(max_examples=250, deadline=None)
@given(
    source=st.lists(st.sampled_from(FILLER_EN), min_size=1, max_size=5).map(" ".join),
    article=articles,
    mt=mts,
    lang=st.sampled_from(["ja", "ko"]),
)
def test_source_without_terms_leaves_mt_alone(
    source: str, article: list[str], mt: str, lang: str
) -> None:
    result = LEADERS.enforce(lang, source, mt, names=LEADERS.article_names([*article, source]))
    assert result.text == mt
    assert result.changes == [] and result.unresolved == []


@settings(max_examples=250, deadline=None)
@given(source=sources, article=articles, mt=mts, lang=st.sampled_from(["ja", "ko"]))
def test_every_change_names_an_entry_the_source_mentions(
    source: str, article: list[str], mt: str, lang: str
) -> None:
    names = LEADERS.article_names([*article, source])
    mentioned = {m.entry_id for m in LEADERS.mentions(source, names)}
    result = LEADERS.enforce(lang, source, mt, names=names)
    assert {c.entry_id for c in result.changes} <= mentioned
    assert set(result.unresolved) <= mentioned


@settings(max_examples=250, deadline=None)
@given(
    source=sources,
    article=articles,
    pieces=st.lists(st.sampled_from(KO_PIECES + JA_PIECES), max_size=8),
    decoys=st.lists(st.sampled_from(DECOYS), min_size=1, max_size=4),
    lang=st.sampled_from(["ja", "ko"]),
)
def test_no_change_inside_a_word_of_another_script(
    source: str, article: list[str], pieces: list[str], decoys: list[str], lang: str
) -> None:
    # each decoy stands between spaces, so it is a word of its own script
    mt = " ".join(["".join(pieces), *decoys, "。"])
    result = LEADERS.enforce(lang, source, mt, names=LEADERS.article_names([*article, source]))
    for decoy in set(decoys):
        assert result.text.count(f" {decoy} ") >= mt.count(f" {decoy} ")
