"""Story first: a line that reads as story is never dropped on a lexicon word alone, the
page's first line (its title) is never dropped as a copy of itself, credits in label-value
pairs are not a menu, and a paragraph cut off inside a quotation is not a list link."""

from __future__ import annotations

import pytest

from l10n.articles.boilerplate import strip_boilerplate

TITLE_EN = "Harbour city fines broadcaster over unlicensed drone footage"
STORY_EN = [
    "The harbour city's media regulator fined a local broadcaster on Monday for airing drone "
    "footage of the port without permission, officials said.",
    "The broadcaster said the material may not be republished by rivals without a licence, "
    "and that it had paid the pilot in full before the programme aired.",
    "A spokesman for the regulator said the fine would be reviewed if the broadcaster "
    "appealed within thirty days of the decision.",
]
STORY_KO = [
    "항만 도시의 방송 규제 기관은 허가 없이 항구의 드론 영상을 방송한 "
    "지역 방송사에 과징금을 부과했다고 밝혔다.",
    "방송사 측은 경쟁사들이 해당 영상을 무단 사용했다고 주장하며 "
    "법적 대응을 검토하고 있다고 말했다.",
    "규제 기관 대변인은 방송사가 30일 안에 이의를 제기하면 처분을 다시 검토하겠다고 설명했다.",
]


def _page(title: str, story: list[str], tail: list[str] = ()) -> list[str]:
    lines = [title, ""]
    for paragraph in story:
        lines += [paragraph, ""]
    return lines + list(tail)


@pytest.mark.parametrize("story", [STORY_EN, STORY_KO], ids=["en", "ko"])
def test_a_paragraph_that_uses_a_copyright_word_stays(rules, story):
    lines = _page(TITLE_EN, story)
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert dropped == []
    assert [line for line in kept if line.strip()] == [TITLE_EN, *story]


def test_the_same_phrase_after_the_story_is_furniture(rules):
    notice = (
        "This material may not be republished, rewritten or redistributed in any form "
        "without the written permission of the harbour media group."
    )
    lines = _page(TITLE_EN, STORY_EN, ["", notice])
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert [d.text for d in dropped] == [notice]
    assert dropped[0].rule == "copyright/phrase"
    assert STORY_EN[1] in kept


def test_the_title_stays_and_its_copy_further_down_goes(rules):
    title = "【Harbour summit】Leaders agree to reopen the ferry route next spring"
    lines = [title, "Harbour Daily", "", title, "", *_page("World", STORY_EN)[2:]]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept[0] == title
    assert (4, "title/echo") in {(d.line, d.rule) for d in dropped}
    assert all(p in kept for p in STORY_EN)


def test_a_title_that_reads_as_a_sentence_keeps_its_copy_too(rules):
    title = "Did the regulator go too far when it fined the harbour broadcaster last week?"
    lines = [title, "", title, "", *STORY_EN]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert 1 not in {d.line for d in dropped}
    assert all(p in kept for p in STORY_EN)


def test_credits_in_label_value_pairs_are_not_a_menu(rules):
    credits = "Reporting : Mina Seo / Editing : Jun Park / Production : Digital Desk"
    lines = _page(TITLE_EN, STORY_EN, [credits])
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert credits in kept
    assert dropped == []


def test_a_menu_between_separators_still_goes(rules):
    menu = "Home | World | Business | Sport"
    lines = [TITLE_EN, "", menu, "", *STORY_EN]
    _, dropped = strip_boilerplate(lines, rules, None)
    assert [(d.text, d.rule) for d in dropped] == [(menu, "nav/segments")]


def test_a_paragraph_cut_off_inside_a_quotation_is_not_a_list_link(rules):
    cut = 'Calling the harbour fine "entirely unjustified and a threat to the free'
    lines = _page(TITLE_EN, STORY_EN, ["Read more", "", "Business", "", cut])
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert cut in kept
    assert {d.text for d in dropped} == {"Read more", "Business"}


def test_a_menu_on_the_first_line_is_no_title(rules):
    menu = "Home | World | Business | Sport"
    lines = [menu, "", TITLE_EN, "", *STORY_EN]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert [(d.text, d.rule) for d in dropped] == [(menu, "nav/segments")]
    assert [line for line in kept if line.strip()] == [TITLE_EN, *STORY_EN]
