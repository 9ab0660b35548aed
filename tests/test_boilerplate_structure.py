"""Furniture found by its structure: menus as runs of short lines, lists of other headlines
with or without a heading, captions beside their credit or under the headline, prompts
(notifications, login, paywall offers) and Japanese/Chinese site chrome. Every page here is
written for the test; each checks what goes, with which reason, and that the story stays."""

from __future__ import annotations

import pytest
import yaml
from conftest import strip_page

from l10n.articles.boilerplate.realpages import score_real_pages

TITLE = "Harbour city opens its new ferry terminal after two years of building"
STORY = [
    "The harbour city opened its new ferry terminal on Monday after two years of building "
    "work, and the first boats left for the islands in the afternoon.",
    "The terminal can handle twelve ferries an hour, twice as many as the old one, and "
    "officials expect passenger numbers to rise sharply over the summer.",
    "The mayor said the project had come in under budget and thanked the workers who had "
    "kept building through two winters of storms on the waterfront.",
    "Tickets for the island routes will cost the same as before until the end of the year, "
    "the ferry company said in a statement released after the opening.",
]


def _with_story(head: list[str], tail: list[str] = ()) -> list[str]:
    lines = [TITLE, *head]
    for paragraph in STORY:
        lines += ["", paragraph]
    return [*lines, "", *tail]


def test_a_numbered_section_menu_above_the_headline_goes(rules):
    menu = ["1. All", "2. Local", "3. Sport", "4. Weather", "5. Travel"]
    kept, dropped = strip_page(rules, _with_story(["Swipe for next article", *menu, "", TITLE]))
    assert set(menu) <= dropped.keys()
    assert kept == [TITLE, *STORY]


def test_a_run_of_one_word_menu_items_between_title_and_headline_goes(rules):
    menu = ["News", "Money", "Sport", "Culture", "Travel", "Radio", "Podcasts", "Weather"]
    kept, dropped = strip_page(rules, _with_story([*menu, "", TITLE]))
    assert set(menu) <= dropped.keys()
    assert all(dropped[m].endswith(("/run", "/above-title", "/label")) for m in menu)
    assert kept == [TITLE, *STORY]


def test_bulleted_headlines_of_other_stories_go_without_a_heading(rules):
    others = [
        "- Orchard growers count the cost of a late spring frost",
        "- Library extends its opening hours for the exam season",
        "- Cyclists ask for a protected lane on the coast road",
    ]
    kept, dropped = strip_page(rules, _with_story([], ["", *others]))
    assert {dropped[o] for o in others} == {"related/headlines"}
    assert kept == [TITLE, *STORY]


def test_bullet_points_of_the_story_itself_stay(rules):
    points = [
        "- Twelve ferries an hour can use the new harbour terminal",
        "- Island ferry tickets keep their price until the end of the year",
        "- The harbour terminal came in under budget after two years of building",
    ]
    lines = [TITLE, "", "Key points", *points, *_with_story([])[1:]]
    kept, _ = strip_page(rules, lines)
    assert all(p in kept for p in points)
    assert all(p in kept for p in STORY)


def test_a_caption_under_the_headline_goes_and_the_lead_stays(rules):
    caption = (
        "The mayor (left) and the ferry company's chief cut the ribbon at the new "
        "terminal on Monday."
    )
    kept, dropped = strip_page(rules, _with_story(["", caption]))
    assert dropped == {caption: "caption/marked"}
    assert kept == [TITLE, *STORY]


@pytest.mark.parametrize(
    "caption",
    [
        "新しいフェリーターミナルでテープカットする市長（左）=3日、港湾市(港湾通信)",
        "새 여객선 터미널 개장식에서 테이프를 자르는 시장(왼쪽). 항만통신 자료사진",
        "2025年3月3日，港湾市，市长在新轮渡码头开幕式上剪彩。（Getty）",
    ],
    ids=["ja", "ko", "zh"],
)
def test_a_caption_closed_by_its_credit_goes_anywhere_in_the_story(rules, caption):
    lines = _with_story([])
    lines.insert(4, caption)
    lines.insert(5, "")
    kept, dropped = strip_page(rules, lines)
    assert dropped == {caption: "caption/marked"}
    assert kept == [TITLE, *STORY]


def test_a_present_tense_picture_description_goes_above_a_datelined_lead(rules):
    caption = "Passengers board the first ferry at the new terminal in the harbour city on Monday."
    lead = "PORTLAND, Harbour (Coast Wire): " + STORY[0]
    lines = [TITLE, "", caption, "", lead, "", *STORY[1:]]
    kept, dropped = strip_page(rules, lines)
    assert dropped == {caption: "caption/described"}
    assert kept == [TITLE, lead, *STORY[1:]]


@pytest.mark.parametrize(
    "caption",
    [
        "The mayor speaks during the opening of the new ferry terminal in Portland on "
        "March 3, 2025.",
        "Passengers board the first ferry at the new terminal, on its opening day. "
        "/Courtesy of Harbour Ferries",
        "The mayor and the ferry company's chief cut the ribbon | Courtesy of Harbour Ferries",
    ],
    ids=["wire-date-stamp", "slash-courtesy", "bracket-courtesy"],
)
def test_a_caption_without_marks_closed_by_its_stamp_or_courtesy_goes_in_the_story(rules, caption):
    lines = _with_story([])
    lines.insert(4, caption)
    lines.insert(5, "")
    kept, dropped = strip_page(rules, lines)
    assert list(dropped) == [caption] and dropped[caption].startswith("caption/")
    assert kept == [TITLE, *STORY]


def test_a_subheading_above_a_dropped_caption_stays(rules):
    caption = (
        "The mayor speaks at the opening of the new ferry terminal in Portland on May 2, 2025."
    )
    lines = _with_story([])
    lines[4:4] = ["What the terminal changes", "", caption, ""]
    kept, dropped = strip_page(rules, lines)
    assert dropped == {caption: "caption/described"}
    assert "What the terminal changes" in kept


@pytest.mark.parametrize(
    "sentence",
    [
        "Data from the port shows passenger numbers rose in the year to March 31, 2025.",
        "The new timetable takes effect on the island routes on January 1, 2026.",
        "The mayor speaks to the council on Tuesday. A vote follows on June 3, 2025.",
        "The council thanked the builders, courtesy of whom the terminal opened early.",
    ],
)
def test_story_sentences_ending_in_a_date_or_naming_a_courtesy_stay(rules, sentence):
    lines = _with_story([])
    lines.insert(4, sentence)
    lines.insert(5, "")
    kept, dropped = strip_page(rules, lines)
    assert sentence in kept and dropped == {}


def test_a_present_tense_sentence_inside_the_story_stays(rules):
    inside = "Passengers board the ferries from two new piers, which the city built last year."
    lines = _with_story([])
    lines.insert(6, inside)
    lines.insert(7, "")
    kept, dropped = strip_page(rules, lines)
    assert inside in kept
    assert dropped == {}


def test_notification_login_and_paywall_prompts_go(rules):
    prompts = [
        "Stay up to date with notifications from the Harbour Courier",
        "Notifications can be managed in browser preferences.",
    ]
    offer = [
        "Already a subscriber? Log in",
        "Save 40% on Courier Digital",
        "Monthly Plan",
        "$4.99/month",
        "Billed as $4.99 for the first month, $9.99 thereafter.",
        "Annual Plan",
        "$49/year",
    ]
    kept, dropped = strip_page(rules, _with_story(["", *prompts], offer))
    assert set(prompts) | set(offer) <= dropped.keys()
    assert kept == [TITLE, *STORY]


JA_TITLE = "港湾市に新フェリーターミナル　2年の工事終え開業"
JA_STORY = [
    "港湾市の新しいフェリーターミナルが3日、2年間の工事を終えて開業し、午後には最初の便が島へ向けて出航した。",
    "新ターミナルは1時間に12便を扱うことができ、旧ターミナルの2倍にあたる。市は夏にかけて利用者が大きく増えるとみている。",
    "市長は式典で、工事が予算内で終わったことを報告し、冬の嵐の中でも作業を続けた作業員に感謝した。",
]


def test_japanese_site_chrome_goes(rules):
    chrome = ["メインメニューをとばして、このページの本文エリアへ", "トピックスRSS", "記事詳細"]
    notice = [
        "外部リンクへ移動",
        "この外部リンク先サイトのコンテンツは、当該リンク先サイトの管理者の責任で提供されています。",
    ]
    lines = [JA_TITLE, *chrome, "", JA_TITLE, ""]
    for paragraph in JA_STORY:
        lines += [paragraph, ""]
    lines += ["続き読む", "", *notice]
    kept, dropped = strip_page(rules, lines)
    assert set(chrome) | set(notice) | {"続き読む"} <= dropped.keys()
    assert kept == [JA_TITLE, *JA_STORY]


def test_chinese_most_read_lists_go(rules):
    story = [
        "港湾市新的轮渡码头3日在经过两年的施工后正式启用，首班船当天下午开往各个岛屿。",
        "新码头每小时可以处理十二个航班，是旧码头的两倍，市政府预计夏季客流将大幅增加。",
        "市长在仪式上表示，工程在预算之内完成，并感谢在冬季风暴中坚持施工的工人。",
    ]
    most_read = ["阅读最多", "山区小学新建图书馆对外开放", "沿海公路将增设自行车专用道"]
    lines = ["港湾市新轮渡码头启用", ""]
    for paragraph in story:
        lines += [paragraph, ""]
    lines += most_read
    kept, dropped = strip_page(rules, lines)
    assert set(most_read) <= dropped.keys()
    assert kept == ["港湾市新轮渡码头启用", *story]


def test_a_machine_date_stamp_before_furniture_is_read_past(rules):
    kept, dropped = strip_page(rules, _with_story([" date 2025-03-03 Left Menu", "", TITLE]))
    assert " date 2025-03-03 Left Menu".strip() in dropped
    assert kept == [TITLE, *STORY]


def test_the_real_page_scorer_counts_drops_by_label(tmp_path, rules):
    (tmp_path / "pages").mkdir()
    (tmp_path / "gold").mkdir()
    lines = _with_story(["", "Share on Facebook"], ["Related stories", "Orchard growers count"])
    (tmp_path / "pages" / "p1.txt").write_text("\n".join(lines), encoding="utf-8")
    gold = {
        "page": "pages/p1.txt",
        "language": "en",
        "story": [TITLE, *STORY],
        "boilerplate": [
            {"text": "Share on Facebook", "kind": "share"},
            {"text": "Related stories", "kind": "related"},
            {"text": "Orchard growers count", "kind": "related"},
        ],
    }
    (tmp_path / "gold" / "p1.yaml").write_text(yaml.safe_dump(gold), encoding="utf-8")
    [result] = score_real_pages(tmp_path, rules)
    assert (result.language, result.tp + result.fn, result.story_dropped) == ("en", 3, 0)
    assert result.tp == 3
