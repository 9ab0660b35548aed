from pathlib import Path

import pytest

from l10n.articles.boilerplate import (
    REPEATED_BLOCK,
    BoilerplateError,
    find_site_marker,
    load_rules,
    strip_boilerplate,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
STORY = "Officials in Seoul said the talks would continue next week."


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("We use cookies to improve your experience.", "cookie-notice"),
        ("Accept all cookies", "cookie-notice"),
        ("Sign up for our Asia Morning newsletter", "newsletter"),
        ("Get the day's top stories from the region in your inbox.", "newsletter"),
        ("Click here to subscribe", "click-here"),
        ("  Click here to read the full story  ", "click-here"),
        ("Loading...", "loading"),
        ("Loading…", "loading"),
        ("Download our app for breaking news alerts", "app-promo"),
        ("Follow us on WhatsApp", "social-follow"),
        ("Share on Facebook", "share-buttons"),
        ("Copy link", "share-buttons"),
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Related coverage:", "related-links"),
        ("© 2025 Example News Media Group. All rights reserved.", "copyright"),
        ("Terms of Use | Privacy Policy | Contact Us", "nav-links"),
    ],
)
def test_each_rule_category_drops_its_line(rules, line, rule):
    kept, dropped = strip_boilerplate([STORY, line, "", STORY + " Again."], rules, None)
    assert kept == [STORY, "", STORY + " Again."]
    assert [(d.line, d.rule, d.text) for d in dropped] == [(2, rule, line.strip())]


@pytest.mark.parametrize(
    "line",
    [
        "Officials noted that a single click of a translation app is no substitute for talks.",
        "Click here, the minister said, was the phrase used in the leaked memo about the summit "
        "and its preparations in Seoul and Tokyo over several weeks of quiet talks.",
        "The ministry said it would download satellite data from the new app every hour.",
        "Advertisement spending in Japan rose 3.5 percent last year, the agency said.",
        "Lee said he would share the proposal with Takaichi before the summit.",
        "Loading of the cargo ship in Busan was delayed by the storm.",
        "Related talks in Beijing are expected next month.",
        "Copyright disputes were not on the agenda, Mr. Lee said.",
    ],
)
def test_story_lines_mentioning_boilerplate_words_are_kept(rules, line):
    kept, dropped = strip_boilerplate([line], rules, None)
    assert kept == [line]
    assert dropped == []


def test_rule_ignores_lines_longer_than_max_chars(rules):
    long_line = "Click here " + "and there " * 20
    kept, _ = strip_boilerplate([long_line], rules, None)
    assert kept == [long_line]


def test_related_links_header_drops_following_lines_until_blank(rules):
    lines = ["Related coverage:", "Takaichi meets Lee", "Xi speaks in Beijing", "", STORY]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == ["", STORY]
    assert [(d.line, d.rule) for d in dropped] == [
        (1, "related-links"),
        (2, "related-links"),
        (3, "related-links"),
    ]


def test_site_rules_apply_only_to_their_site(rules):
    lines = [STORY, "View 24 comments"]
    assert strip_boilerplate(lines, rules, None)[0] == lines
    assert strip_boilerplate(lines, rules, "other-site")[0] == lines
    kept, dropped = strip_boilerplate(lines, rules, "example-news")
    assert kept == [STORY]
    assert dropped[0].rule == "example-news-comments"


def test_repeated_block_keeps_first_copy_and_drops_later_one(rules):
    lines = [
        "Editor's note one.",
        "Editor's note two.",
        "",
        STORY,
        "",
        "Editor's note one.",
        "",
        "Editor's note two.",
        "Final line.",
    ]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == ["Editor's note one.", "Editor's note two.", "", STORY, "", "", "Final line."]
    assert [(d.line, d.rule) for d in dropped] == [(6, REPEATED_BLOCK), (8, REPEATED_BLOCK)]


def test_single_repeated_line_is_not_a_block(rules):
    lines = ["Lee spoke.", STORY, "Lee spoke.", "Takaichi replied."]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == lines
    assert dropped == []


def test_longest_repeat_is_dropped_as_one_block(rules):
    block = ["Line A is here.", "Line B is here.", "Line C is here."]
    lines = [*block, STORY, *block]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == [*block, STORY]
    assert [d.line for d in dropped] == [5, 6, 7]


def test_example_page_line_numbers_point_at_original_lines(rules):
    lines = (EXAMPLES / "scraped-example-news.txt").read_text(encoding="utf-8").splitlines()
    site, marker = find_site_marker(lines)
    assert (site, marker) == ("example-news", 0)
    kept, dropped = strip_boilerplate(lines, rules, site)
    for d in dropped:
        assert lines[d.line - 1].strip() == d.text
    rules_seen = {d.rule for d in dropped}
    assert {
        "cookie-notice",
        "newsletter",
        "click-here",
        "loading",
        "app-promo",
        "social-follow",
        "share-buttons",
        "advertisement",
        "related-links",
        "copyright",
        "nav-links",
        REPEATED_BLOCK,
        "example-news-comments",
        "example-news-plus",
    } <= rules_seen
    text = "\n".join(kept)
    assert "a single click of a translation app" in text
    assert text.count("Lee wants the leaders of South Korea") == 1
    assert len(kept) + len(dropped) == len(lines)


def test_site_marker_must_be_first_non_empty_line():
    assert find_site_marker(["", "Source: Harbor-Post", "x"]) == ("harbor-post", 1)
    assert find_site_marker(["Title", "Source: harbor-post"]) == (None, None)
    assert find_site_marker(["Source: the ministry said so"]) == (None, None)


def test_site_for_file_uses_glob_patterns(rules):
    assert rules.site_for_file("2025-example-news-lee.txt") == "example-news"
    assert rules.site_for_file("nara-summit.txt") is None


def write(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_custom_rules_file_loads(tmp_path):
    path = write(
        tmp_path,
        "global:\n  - id: promo\n    patterns: ['buy now']\n"
        "sites:\n  s1:\n    files: ['s1-*']\n    rules:\n"
        "      - id: s1-x\n        max_chars: 10\n        patterns: ['x+']\n",
    )
    rules = load_rules(path)
    assert [r.id for r in rules.rules_for("s1")] == ["promo", "s1-x"]
    kept, _ = strip_boilerplate(["Buy now", "xxx", "x" * 11], rules, "s1")
    assert kept == ["x" * 11]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("global:\n  - id: a\n    patterns: ['(unclosed']\n", 3, "bad regex"),
        ("global:\n  - id: a\n    patterns: ['x']\n  - id: a\n    patterns: ['y']\n", 4, "twice"),
        ("global:\n  - patterns: ['x']\n", 2, "no `id`"),
        ("global:\n  - id: a\n", 2, "no `patterns`"),
        ("global:\n  - id: a\n    pattern: ['x']\n", 2, "unknown key"),
        ("global:\n  - id: a\n    then: stop\n    patterns: ['x']\n", 3, "drop-until-blank"),
        ("global:\n  - id: a\n    max_chars: -3\n    patterns: ['x']\n", 3, "positive"),
        ("global:\n  - id: a\n    patterns: [12]\n", 3, "must be a string"),
        ("global:\n  - id: a\n    patterns: 'x'\n", 3, "must be a list"),
        ("rulez: []\n", 1, "unknown section"),
        ("global: [\n  - id: a\n", 2, "invalid YAML"),
        ("version: 2\nglobal: []\n", 1, "version"),
        ("sites:\n  s:\n    rules:\n      - id: r\n        patterns: ['[']\n", 5, "bad regex"),
    ],
)
def test_invalid_rules_report_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(BoilerplateError) as err:
        load_rules(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: ")
    assert words in message


def test_empty_or_missing_rules_file_is_an_error(tmp_path):
    with pytest.raises(BoilerplateError, match="empty"):
        load_rules(write(tmp_path, ""))
    with pytest.raises(BoilerplateError, match="cannot read"):
        load_rules(tmp_path / "missing.yaml")
