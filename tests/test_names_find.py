"""Finding names in source articles and locating their renderings in the MT."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.glossary import load_glossary
from l10n.names.finder import find_cjk, find_english
from l10n.names.locate import locate
from l10n.names.romanize import (
    HANGUL_SURNAMES,
    KOREAN_SURNAMES,
    hangul_roman,
    romanize,
    skeleton,
)

GLOSSARY = load_glossary(Path("glossaries/leaders.yaml"))
ARTICLE = [
    (0, "Cho Hyun Meets Iwaya in Seoul"),
    (1, "Foreign Minister Cho Hyun met Japanese Foreign Minister Takeshi Iwaya in Seoul."),
    (2, "Cho said the talks with Mr. Iwaya were frank, Prime Minister Sanae Takaichi said."),
    (3, "Kim Min-seok and Kim Jung-kwan attended. Kim did not speak."),
    (4, "The Ministry of Foreign Affairs said the Bank of Korea agreed."),
]


def _found(texts=ARTICLE):
    return {(m.segment, m.surface): m for m in find_english(texts, GLOSSARY).all()}


def test_romanisation_of_hangul_and_kana() -> None:
    assert hangul_roman("조현") == "johyeon"
    assert romanize("イワヤ・タケシ") == "iwaya takeshi"
    assert skeleton("Cho Hyun") == skeleton(romanize("조현"))
    # the hangul family names are the English-spelling table's, one syllable each
    assert sorted(hangul_roman(s) for s in HANGUL_SURNAMES) == sorted(set(KOREAN_SURNAMES.values()))


def test_titles_make_people_and_short_forms_point_to_the_full_name() -> None:
    found = _found()
    cho = found[(1, "Cho Hyun")]
    assert (cho.type, cho.title, cho.glossary) == ("person", "Minister", None)
    assert found[(2, "Cho")].key == "Cho Hyun" and found[(2, "Cho")].short
    assert found[(2, "Iwaya")].key == "Takeshi Iwaya"
    assert found[(2, "Sanae Takaichi")].glossary == "sanae-takaichi"
    assert found[(0, "Cho Hyun")].segment == 0  # a headline repeats a body name


def test_shared_surnames_are_different_names_and_a_bare_one_is_nobody() -> None:
    found = _found()
    assert found[(3, "Kim Min-seok")].key != found[(3, "Kim Jung-kwan")].key
    assert (3, "Kim") not in found


def test_organisations_are_not_people_and_function_words_are_not_names() -> None:
    found = _found()
    assert found[(4, "Ministry of Foreign Affairs")].type == "organization"
    assert not any(surface in {"The", "Affairs", "Foreign"} for _, surface in found)


def test_korean_and_japanese_sources_name_the_word_before_a_title() -> None:
    ko = [
        m.surface
        for m in find_cjk([(0, "조현 외교부 장관은 이와야 다케시 외무상과 만났다.")], "ko").all()
    ]
    assert ko == ["조현", "이와야 다케시"]
    ja = [
        m.surface for m in find_cjk([(0, "趙顕外相は岩屋毅外相と会談した。チョ氏は")], "ja").all()
    ]
    assert ja == ["趙顕", "岩屋毅", "チョ"]


def test_japanese_katakana_full_names_need_no_title() -> None:
    texts = [
        (0, "高市早苗首相は東京でジェイク・サリバン特使と会談した。"),
        (1, "サリバン特使はワーク・ライフ・バランスにも触れ、コンテナを視察した。"),
    ]
    found = [
        (m.segment, m.surface, m.key, m.glossary) for m in find_cjk(texts, "ja", GLOSSARY).all()
    ]
    assert found == [
        (0, "高市早苗", "高市早苗", "sanae-takaichi"),
        (0, "ジェイク・サリバン", "ジェイク・サリバン", None),
        (1, "サリバン", "ジェイク・サリバン", None),  # a bare part of one full name: its short form
    ]  # three katakana words joined are a compound, not a name; a lone loanword is nothing


def test_glossary_people_in_korean_sources_and_a_former_title() -> None:
    text = "이시바 시게루 전 총리는 김민석 전 총리와 만났다. 가이시바 시게루는 아니다."
    found = [(m.surface, m.glossary, m.title) for m in find_cjk([(0, text)], "ko", GLOSSARY).all()]
    assert found == [("이시바 시게루", "shigeru-ishiba", ""), ("김민석", None, "총리")]


def test_a_spaced_korean_honorific_is_not_part_of_the_rendering() -> None:
    (mention,) = find_cjk([(0, "マイケル・グリーン氏は評価した。")], "ja").all()
    (found,) = locate([mention], "마이클 그린 씨는 예산안을 평가했다.", "ko")
    assert found.text == "마이클 그린"


@pytest.mark.parametrize(
    ("segment", "lang", "text", "expected"),
    [
        (
            1,
            "ko",
            "조현 외교부 장관은 서울에서 이와야 다케시 외무상과 만났다.",
            ["조현", "서울", "이와야 다케시"],
        ),
        (
            1,
            "ko",
            "조 현 장관은 서울에서 이와야 다케시 외무상과 만났다.",
            ["조 현", "서울", "이와야 다케시"],
        ),
        (2, "ko", "초현 장관은 이와야 씨와의 회담이 솔직했다고 말했다.", ["초현", "이와야"]),
        (2, "ko", "조 장관은 다까이치 사나에 총리가 말했다.", ["조", "다까이치 사나에"]),
        (
            1,
            "ja",
            "チョ・ヒョン外相はソウルでイワヤ・タケシ外相と会談した。",
            ["チョ・ヒョン", "ソウル", "イワヤ・タケシ"],
        ),
        (1, "ja", "趙顕外相はソウルで岩屋毅外相と会談した。", ["趙顕", "ソウル", "岩屋毅"]),
        (
            2,
            "ja",
            "チョ氏は岩谷氏との会談は率直だったと高市首相は述べた。",
            ["チョ", "岩谷", "高市"],
        ),
        (3, "ko", "김민석과 김정관이 참석했다.", ["김민석", "김정관"]),
    ],
)
def test_renderings_are_the_name_alone(segment, lang, text, expected) -> None:
    mentions = find_english(ARTICLE, GLOSSARY).mentions[segment]
    targets = {e.id: e.targets[lang] for e in GLOSSARY.entries if lang in e.targets}
    assert [r.text for r in locate(mentions, text, lang, targets=targets)] == expected


def test_a_sentence_without_the_name_has_no_rendering() -> None:
    mentions = find_english(ARTICLE, GLOSSARY).mentions[3]
    assert locate(mentions, "두 사람이 참석했다.", "ko") == []


VISIT = [
    (
        1,
        "First Vice Foreign Minister Park Yoon-joo met Deputy Secretary of State Christopher "
        "Landau on Friday.",
    ),
    (2, "Officials from Samsung Electronics joined the talks with Chung Eui-sun."),
]


@pytest.mark.parametrize(
    ("segment", "lang", "text", "expected"),
    [
        (
            1,
            "ko",
            "박윤주 외교부 제1차관은 금요일 크리스토퍼 랜도 부장관과 만났다.",
            ["박윤주", "크리스토퍼 랜도"],
        ),
        (
            1,
            "ja",
            "朴潤柱第1外務次官は金曜日、クリストファー・ランドー国務副長官と会談した。",
            ["朴潤柱", "クリストファー・ランドー"],
        ),
        (2, "ko", "삼성전자 관계자들이 정의선 회장과 함께 회담에 참여했다.", ["정의선"]),
        (2, "ja", "サムスン電子の関係者が鄭義宣会長とともに協議に加わった。", ["鄭義宣"]),
    ],
)
def test_western_names_kanji_given_names_and_companies(segment, lang, text, expected) -> None:
    mentions = find_english(VISIT).mentions[segment]
    assert [r.text for r in locate(mentions, text, lang)] == expected


def test_a_title_written_on_to_a_korean_name_comes_off() -> None:
    mentions = find_english([(1, "Foreign Minister Cho Hyun met Iwaya.")]).mentions[1]
    found = locate(mentions, "조현장관은 이와야씨와 만났다.", "ko")
    assert [r.text for r in found] == ["조현", "이와야"]


def test_a_title_case_headline_finds_whole_names_not_their_parts_inside_them() -> None:
    texts = [
        (0, "Lee Jae Myung and Park Ji-hoon Visit Harbour Works"),
        (1, "President Lee Jae Myung toured the port with Mayor Park Ji-hoon on Friday."),
        (2, "Park said the works would finish next year."),
    ]
    found = find_english(texts, GLOSSARY).mentions[0]
    assert [m.surface for m in found] == ["Lee Jae Myung", "Park Ji-hoon"]
    assert {m.key for m in found} == {"Lee Jae Myung", "Park Ji-hoon"}


KO_UNTITLED = [
    (0, "윤서하 산업부 장관은 목요일 업계 대표들과 만났다."),
    (1, "윤서하는 한국 대통령과 정부 대변인을 만났고, 윤서하가 먼저 발언했다."),
    (2, "배지훈은 전문가들과 함께 이집트를 방문했다. 서울에서 이지은이 말했다."),
    (3, "배지훈도 전문가는 아니다. 이집트는 서울은 1조 원을 이지은에게 약속했다."),
]


def test_a_korean_name_titled_once_is_found_without_its_title_particles_cut() -> None:
    found = [(m.segment, m.surface, m.title) for m in find_cjk(KO_UNTITLED, "ko").all()]
    assert (1, "윤서하", "") in found and found.count((1, "윤서하", "")) == 2
    assert (0, "윤서하", "장관") in found
    spans = {
        KO_UNTITLED[m.segment][1][m.start : m.end]
        for m in find_cjk(KO_UNTITLED, "ko").all()
        if m.surface == "윤서하"
    }
    assert spans == {"윤서하"}  # 윤서하는, 윤서하가: the particle is not part of the name


def test_a_repeated_bare_korean_name_counts_but_not_common_words_places_or_one_syllable() -> None:
    surfaces = {m.surface for m in find_cjk(KO_UNTITLED, "ko").all()}
    assert "배지훈" in surfaces  # a family name and a given name, twice, each a word of its own
    # a country or institution before a title, a common noun and a place of a name's shape
    # (전문가, 이집트, 서울), a weekday before a title, a one-syllable word (조 원), and a
    # span that may end in a particle (이지은: 이지 + 은) are not names
    assert surfaces.isdisjoint(
        {"한국", "정부", "전문가", "이집트", "서울", "조", "이지은", "이지", "목요일 업계"}
    )
    once = [(0, "배지훈은 발언했다."), (1, "회의는 끝났다.")]
    assert find_cjk(once, "ko").all() == []  # said once without a title: not enough


JA_UNTITLED = [
    (0, "森川健太外相は金曜日、東京で韓国外相と会談した。"),
    (1, "森川氏は記者団に成果を強調した。森川は来月、福岡を訪問する。"),
    (2, "次期首相の人選には触れなかった。石破前首相も出席し、藤本氏は賛成した。"),
    (3, "藤本は林氏と話した。森川派の議員も同席した。"),
]


def test_a_japanese_kanji_name_titled_once_is_found_alone_and_its_surname_is_a_short_form() -> None:
    found = {(m.segment, m.surface): m for m in find_cjk(JA_UNTITLED, "ja").all()}
    assert found[(0, "森川健太")].title == "外相"
    short = [
        found[(1, "森川")],
        *(m for m in found.values() if m.title == "" and m.surface == "森川"),
    ]
    assert all(m.key == "森川健太" and m.short for m in short) and len(short) == 2
    assert found[(3, "藤本")].key == "藤本" and found[(3, "藤本")].title == ""  # 藤本氏 before
    assert found[(2, "石破")].title == "首相"  # 石破前首相: 前 (former) is not the name's
    surfaces = {surface for _, surface in found}
    # a country before a title, a common noun before one, a place of a surname's shape that
    # the article never titles, a one-character name and a faction (森川派) are not names
    assert surfaces.isdisjoint({"韓国", "次期", "福岡", "林", "森川派", "東京"})


def test_two_people_sharing_a_japanese_surname_leave_the_bare_surname_out() -> None:
    texts = [
        (0, "高橋一郎議員と高橋花子議員が出席した。"),
        (1, "高橋氏は発言せず、高橋は退席した。"),
    ]
    found = [(m.segment, m.surface) for m in find_cjk(texts, "ja").all()]
    assert found == [(0, "高橋一郎"), (0, "高橋花子")]
