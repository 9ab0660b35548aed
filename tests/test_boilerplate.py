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


def write(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_packaged_rules_file_keeps_the_documented_format():
    rules = load_rules()
    assert rules.global_rules == ()
    assert rules.classifier is True
    assert [r.id for r in rules.rules_for("example-news")] == [
        "example-news-plus",
        "example-news-comments",
    ]


def test_every_dropped_line_carries_its_line_number_text_and_reason(rules):
    lines = [STORY, "Advertisement", "", "  Share on Facebook  ", STORY + " Again."]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == [STORY, "", STORY + " Again."]
    assert [(d.line, d.text, d.rule) for d in dropped] == [
        (2, "Advertisement", "ad/label"),
        (4, "Share on Facebook", "share/phrase"),
    ]


def test_user_site_rule_drops_a_line_the_classifier_keeps(tmp_path):
    line = "Harbor Extra: three stories picked by our editors tonight"
    page = ["Title of the story here", "", STORY, line, "", STORY + " Again."]
    rules = load_rules(
        write(
            tmp_path,
            "sites:\n  harbor:\n    files: ['harbor-*']\n    rules:\n"
            "      - id: harbor-extra\n        patterns: ['harbor extra:.*']\n",
        )
    )
    assert line in strip_boilerplate(page, rules, None)[0]
    kept, dropped = strip_boilerplate(page, rules, "harbor")
    assert line not in kept
    assert [(d.line, d.rule) for d in dropped] == [(4, "harbor-extra")]
    assert rules.site_for_file("harbor-2025-03.txt") == "harbor"


def test_site_rules_apply_only_to_their_site(rules):
    lines = [STORY, "Example News Plus: stories for members"]
    assert strip_boilerplate(lines, rules, None)[0] == lines
    assert strip_boilerplate(lines, rules, "other-site")[0] == lines
    kept, dropped = strip_boilerplate(lines, rules, "example-news")
    assert kept == [STORY]
    assert dropped[0].rule == "example-news-plus"


def test_keep_patterns_protect_lines_from_the_classifier_only(tmp_path):
    rules = load_rules(
        write(
            tmp_path,
            "keep: ['^Advertisement$']\nglobal:\n  - id: house-ad\n    patterns: ['house ad']\n",
        )
    )
    kept, dropped = strip_boilerplate([STORY, "Advertisement", "House ad"], rules, None)
    assert kept == [STORY, "Advertisement"]
    assert [d.rule for d in dropped] == ["house-ad"]


def test_site_can_switch_the_classifier_off(tmp_path):
    rules = load_rules(
        write(tmp_path, "sites:\n  plain:\n    classifier: false\n    keep: ['x']\n")
    )
    lines = [STORY, "Advertisement", "Share"]
    assert strip_boilerplate(lines, rules, "plain")[0] == lines
    assert strip_boilerplate(lines, rules, None)[0] == [STORY]
    assert rules.keep_for("plain")[0].pattern == "x"


def test_rule_ignores_lines_longer_than_max_chars(tmp_path):
    rules = load_rules(
        write(tmp_path, "classifier: false\nglobal:\n  - id: c\n    patterns: ['click here.*']\n")
    )
    long_line = "Click here " + "and there " * 20
    kept, _ = strip_boilerplate([long_line], rules, None)
    assert kept == [long_line]


def drop_until_blank_rules(tmp_path):
    return load_rules(
        write(
            tmp_path,
            "global:\n  - id: more-links\n    then: drop-until-blank\n"
            "    patterns: ['more links:?']\n",
        )
    )


def test_drop_until_blank_drops_the_links_up_to_the_blank_line(tmp_path):
    rules = drop_until_blank_rules(tmp_path)
    lines = ["More links:", "Takaichi meets Lee", "Xi speaks in Beijing", "", STORY]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == ["", STORY]
    assert [(d.line, d.rule) for d in dropped] == [
        (1, "more-links"),
        (2, "more-links"),
        (3, "more-links"),
    ]


def test_drop_until_blank_stops_at_prose_on_a_page_without_blank_lines(tmp_path):
    rules = drop_until_blank_rules(tmp_path)
    story = [
        STORY,
        "The minister said more talks were planned for the spring in Tokyo.",
        "Both sides said the meeting had been useful.",
    ]
    lines = ["More links:", "Takaichi meets Lee", *story]
    kept, dropped = strip_boilerplate(lines, rules, None)
    assert kept == story
    assert [d.line for d in dropped] == [1, 2]


def test_example_page_line_numbers_point_at_original_lines(rules):
    lines = (EXAMPLES / "scraped-example-news.txt").read_text(encoding="utf-8").splitlines()
    site, marker = find_site_marker(lines)
    assert (site, marker) == ("example-news", 0)
    lines[marker] = ""
    kept, dropped = strip_boilerplate(lines, rules, site)
    for d in dropped:
        assert lines[d.line - 1].strip() == d.text
    classes = {d.rule.split("/")[0] for d in dropped}
    assert {
        "nav",
        "debris",
        "cookie",
        "share",
        "ad",
        "promo",
        "continue",
        "related",
        "copyright",
        REPEATED_BLOCK,
        "example-news-comments",
        "example-news-plus",
    } <= classes
    text = "\n".join(kept)
    assert "a single click of a translation app" in text
    assert text.count("Lee wants the leaders of South Korea") == 1
    assert "in your inbox" not in text
    assert "WhatsApp" not in text
    assert len(kept) + len(dropped) == len(lines)


def test_site_marker_must_be_first_non_empty_line():
    assert find_site_marker(["", "Source: Harbor-Post", "x"]) == ("harbor-post", 1)
    assert find_site_marker(["Title", "Source: harbor-post"]) == (None, None)
    assert find_site_marker(["Source: the ministry said so"]) == (None, None)


def test_site_for_file_uses_glob_patterns(rules):
    assert rules.site_for_file("2025-example-news-lee.txt") == "example-news"
    assert rules.site_for_file("nara-summit.txt") is None


def test_custom_rules_file_loads(tmp_path):
    path = write(
        tmp_path,
        "classifier: false\nglobal:\n  - id: promo\n    patterns: ['buy now']\n"
        "sites:\n  s1:\n    files: ['s1-*']\n    rules:\n"
        "      - id: s1-x\n        max_chars: 10\n        patterns: ['x+']\n",
    )
    rules = load_rules(path)
    assert [r.id for r in rules.rules_for("s1")] == ["promo", "s1-x"]
    kept, _ = strip_boilerplate(["Buy now", "xxx", "x" * 11], rules, "s1")
    assert kept == ["x" * 11]
    assert rules.sites["s1"].classifier is None


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
        ("classifier: maybe\n", 1, "true or false"),
        ("keep: ['(']\n", 1, "bad regex"),
        ("sites:\n  s:\n    keep: 'x'\n", 3, "must be a list"),
        ("sites:\n  s:\n    filez: []\n", 3, "unknown key"),
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
