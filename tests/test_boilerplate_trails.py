"""Furniture found by its shape where the lexicon names nothing: a breadcrumb trail that ends
in the page's title, a two-step "Home › Section" trail, a run of bare dates left from a list
of links, and a caption closed by a credit of any agency ("| WIRE", "(Name, Name photos)").
Every page here is written for the test; each checks what goes, why, and that the story
stays."""

from __future__ import annotations

import pytest
from conftest import strip_page

TITLE = "River town reopens its stone bridge after a year of repairs"
STORY = [
    "The river town reopened its stone bridge on Friday after a year of repairs, and the "
    "first buses crossed it in the early morning.",
    "Engineers replaced four of the seven arches and strengthened the piers, which had been "
    "damaged by the floods two winters ago.",
    "The council said the work had cost less than planned and that the old toll booth would "
    "become a small museum about the bridge.",
    "Shops on both banks expect more visitors now that the crossing is open again, the "
    "traders' association said on Friday.",
]


def _page(head: list[str], tail: list[str] = (), middle: list[str] = ()) -> list[str]:
    lines = [TITLE, *head]
    for n, paragraph in enumerate(STORY):
        lines += ["", paragraph]
        if n == 1 and middle:
            lines += ["", *middle]
    return [*lines, "", *tail]


def test_a_breadcrumb_ending_in_the_title_goes_with_the_section_after_it(rules):
    crumb = f"Home Regions {TITLE}"
    kept, dropped = strip_page(rules, _page([crumb, "World"]))
    assert dropped[crumb] == "nav/breadcrumb"
    assert dropped["World"].startswith("nav/")
    assert kept == [TITLE, *STORY]


def test_a_breadcrumb_behind_a_machine_date_stamp_goes(rules):
    crumb = f" date 2024-05-17 Home Local {TITLE}"
    kept, dropped = strip_page(rules, _page([crumb]))
    assert dropped[crumb.strip()] == "nav/breadcrumb"
    assert kept == [TITLE, *STORY]


def test_a_line_that_ends_in_the_title_after_a_sentence_stays(rules):
    """Only a trail of section names goes: a sentence before the title's words is no trail."""
    line = f"Read it first. {TITLE}"
    _, dropped = strip_page(rules, _page([], middle=[line]))
    assert dropped.get(line) != "nav/breadcrumb"


@pytest.mark.parametrize("crumb", ["Home » Regions", "Home › Local news", "Home > Towns"])
def test_a_two_step_trail_from_home_goes(rules, crumb):
    kept, dropped = strip_page(rules, _page([crumb]))
    assert dropped[crumb] == "nav/segments"
    assert kept == [TITLE, *STORY]


def test_a_two_part_line_not_starting_at_home_stays(rules):
    line = "Repairs › what comes next"
    kept, _ = strip_page(rules, _page([], middle=[line]))
    assert line in kept


def test_a_run_of_bare_dates_after_the_story_goes(rules):
    dates = ["March 3, 2021", "January 19, 2021", "October 2, 2020", "July 8, 2020"]
    kept, dropped = strip_page(rules, _page([], tail=dates))
    assert all(dropped[d] == "related/dates" for d in dates)
    assert kept == [TITLE, *STORY]


def test_the_story_date_and_a_timeline_with_text_stay(rules):
    published = "May 17, 2024"
    timeline = [
        "June 2, 2022",
        "The floods damage three arches.",
        "April 11, 2023",
        "Repairs begin on the western piers.",
        "May 17, 2024",
        "The bridge reopens to buses.",
    ]
    kept, dropped = strip_page(rules, _page([published], middle=timeline))
    assert published in kept
    assert "June 2, 2022" in kept and "April 11, 2023" in kept
    assert not any(reason == "related/dates" for reason in dropped.values())


def test_two_bare_dates_are_not_a_list(rules):
    dates = ["Published May 17, 2024", "May 18, 2024"]
    kept, dropped = strip_page(rules, _page(dates))
    assert "May 18, 2024" in kept
    assert not any(reason == "related/dates" for reason in dropped.values())


@pytest.mark.parametrize(
    "caption",
    [
        "Workers fit the last arch of the stone bridge in March | RIVERWIRE",
        "Buses cross the reopened bridge on Friday morning | NORTH PRESS AGENCY",
        "The mayor and the chief engineer on the bridge. (Valley, Riverwire photos)",
        "The repaired western piers seen from the river bank. (Riverwire photo)",
    ],
)
def test_a_caption_closed_by_a_credit_of_any_agency_goes(rules, caption):
    kept, dropped = strip_page(rules, _page([], middle=[caption]))
    assert dropped[caption].startswith("caption/")
    assert kept == [TITLE, *STORY]


def test_a_credited_caption_under_the_title_is_not_taken_for_the_title(rules):
    caption = "Buses wait to cross the stone bridge after a year of repairs | RIVERWIRE"
    kept, dropped = strip_page(rules, _page([caption]))
    assert dropped[caption].startswith("caption/")
    assert kept == [TITLE, *STORY]


def test_a_quoted_line_ending_in_capitals_after_a_bar_stays(rules):
    quote = '"We built it to last another century," the chief engineer said | RIVERWIRE'
    kept, _ = strip_page(rules, _page([], middle=[quote]))
    assert quote in kept


def test_a_video_title_shown_three_times_under_the_title_goes(rules):
    video = "Bridge engineers explain how the old arches were rebuilt stone by stone"
    head = [video, "", "Video", "", video, "4", video]
    kept, dropped = strip_page(rules, _page(head))
    assert dropped[video] == "repeated-block"
    assert kept == [TITLE, *STORY]


def test_the_on_page_headline_shown_twice_stays(rules):
    headline = "Stone bridge reopens in the river town after repairs"
    kept, _ = strip_page(rules, _page([headline, "", headline]))
    assert headline in kept


def test_labels_after_an_unheaded_list_of_other_headlines_go(rules):
    """Once a run of other stories' headlines after the story has gone, the app and comment
    labels below it are trailing furniture too, while the sign-off stays."""
    others = [
        "- Orchard growers count the cost of a late spring frost",
        "- Library extends its opening hours for the exam season",
        "- Cyclists ask for a protected lane on the coast road",
    ]
    labels = ["Valley News App", "Reader Voices", "Tip Line"]
    kept, dropped = strip_page(rules, _page([], tail=["Source: Valley Wire", *others, *labels]))
    assert all(dropped[o] == "related/headlines" for o in others)
    assert all(dropped[label].endswith("/run") for label in labels)
    assert kept == [TITLE, *STORY, "Source: Valley Wire"]


@pytest.mark.parametrize("widget", ["How useful did you find this?", "4 weeks ago 3", "Quick take"])
def test_a_widget_line_between_the_title_and_the_lead_goes(rules, widget):
    kept, dropped = strip_page(rules, [TITLE, widget, *STORY])
    assert dropped[widget] == "nav/under-title"
    assert kept == [TITLE, *STORY]


@pytest.mark.parametrize(
    "line",
    [
        "Maria Keller",  # a name: no lower-case word, no figure
        "Arches rebuilt, buses back",  # shares words with the story
    ],
)
def test_a_name_or_an_on_topic_line_under_the_title_stays(rules, line):
    kept, _ = strip_page(rules, [TITLE, line, *STORY])
    assert line in kept


def test_a_key_points_heading_over_bullets_under_the_title_stays(rules):
    points = ["What changes", "- Buses return to the bridge", "- The toll booth becomes a museum"]
    kept, _ = strip_page(rules, [TITLE, *points, *STORY])
    assert kept == [TITLE, *points, *STORY]


def test_a_line_under_the_title_without_content_words_stays(rules):
    """ "With and" (a credit whose linked names the scraper moved away) names no topic at all:
    there is nothing to tell it from the story's, so it stays."""
    kept, _ = strip_page(rules, [TITLE, "Maria Keller", "with and", *STORY])
    assert "with and" in kept and "Maria Keller" in kept


def test_a_label_printed_twice_in_a_row_loses_its_second_copy(rules):
    kept, dropped = strip_page(
        rules, [TITLE, "Maria Keller", "Maria Keller", "May 17, 2024", *STORY]
    )
    assert kept == [TITLE, "Maria Keller", "May 17, 2024", *STORY]
    assert dropped == {"Maria Keller": "repeat/next-line"}


def test_a_label_repeated_further_apart_stays(rules):
    lines = [TITLE, "Maria Keller", *STORY[:2], "Maria Keller", *STORY[2:]]
    kept, _ = strip_page(rules, lines)
    assert kept.count("Maria Keller") == 2


def test_a_short_line_between_two_furniture_lines_after_the_story_goes(rules):
    line = "Meets on Sundays."
    tail = ["Advertisement", line, "Advertisement", "Share"]
    kept, dropped = strip_page(rules, _page([], tail=tail))
    assert dropped[line].endswith("/between")
    assert kept == [TITLE, *STORY]


def test_a_short_line_between_two_furniture_lines_inside_the_story_stays(rules):
    line = "How the arches were rebuilt in the winter months"
    kept, _ = strip_page(rules, _page([], middle=["Advertisement", line, "Share"]))
    assert line in kept
