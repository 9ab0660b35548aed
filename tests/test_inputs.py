import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n.articles.read import InputError, article_from_text, read_inputs, safe_id

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
SAFE = re.compile(r"[A-Za-z0-9._-]+")


@pytest.fixture(scope="module")
def examples(rules):
    return read_inputs([str(EXAMPLES)], rules)


def by_id(batch, article_id):
    return next(a for a in batch.articles if a.id == article_id)


def read_one(tmp_path, rules, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    batch = read_inputs([str(path)], rules)
    assert batch.errors == []
    assert len(batch.articles) == 1
    return batch.articles[0]


def test_example_folder_loads_every_article_in_sorted_order(examples):
    assert examples.errors == []
    inputs = [Path(a.input_path).name for a in examples.articles]
    assert inputs == sorted(inputs)
    files = sorted(p.name for p in EXAMPLES.iterdir())
    assert set(inputs) == set(files)
    per_file = {
        name: len((EXAMPLES / name).read_text("utf-8").splitlines())
        if name.endswith(".jsonl")
        else 1
        for name in files
    }
    assert len(examples.articles) == sum(per_file.values())
    for article in examples.articles:
        # A CAT tool's XLIFF has sentences, not a headline.
        assert article.title or article.input_path.endswith(".xlf")
        assert article.paragraphs
        assert SAFE.fullmatch(article.id)


def test_example_articles_name_the_people_and_places(examples):
    english = " ".join(a.text for a in examples.articles if not a.id.endswith("-ko"))
    for name in (
        "Sanae Takaichi",
        "Lee Jae Myung",
        "Nara",
        "Xi Jinping",
        "Tokyo",
        "Seoul",
        "Beijing",
        "Taiwan",
        "Takaichi's",
        "10,000",
        "3.5 percent",
        "U.S.",
        "Jan.",
        "Mr.",
    ):
        assert name in english, name
    korean = by_id(examples, "seoul-tokyo-ko").text
    for name in ("이재명", "다카이치 사나에", "도쿄"):
        assert name in korean


def test_txt_title_and_blank_line_paragraphs(tmp_path, rules):
    article = read_one(
        tmp_path,
        rules,
        "story.txt",
        "\n\n  Leaders Meet  \n\nFirst line\nwraps here.\n\nSecond paragraph.\n",
    )
    assert article.id == "story"
    assert article.title == "Leaders Meet"
    assert article.paragraphs == ["First line wraps here.", "Second paragraph."]
    assert article.input_line is None


def test_txt_without_blank_lines_has_one_paragraph_per_line(tmp_path, rules):
    article = read_one(tmp_path, rules, "lines.txt", "Title\nOne.\nTwo.\nThree.")
    assert article.title == "Title"
    assert article.paragraphs == ["One.", "Two.", "Three."]


def test_scraped_page_keeps_story_and_records_dropped_lines(examples):
    article = by_id(examples, "scraped-example-news")
    original = (EXAMPLES / "scraped-example-news.txt").read_text(encoding="utf-8").splitlines()
    assert article.site == "example-news"
    assert article.title.startswith("Lee Jae Myung Proposes Regular Three-Way Meetings")
    body = "\n".join(article.paragraphs)
    for junk in (
        "Loading",
        "cookies",
        "Share on",
        "newsletter",
        "Click here",
        "WhatsApp",
        "Download our app",
        "Advertisement",
        "Related coverage",
        "©",
        "Privacy Policy",
        "View 24 comments",
        "Example News Plus",
    ):
        assert junk not in body, junk
    assert "a single click of a translation app" in body
    assert body.count("Lee wants the leaders") == 1
    assert article.dropped_lines[0].rule == "site-marker"
    for dropped in article.dropped_lines:
        assert original[dropped.line - 1].strip() == dropped.text
    for dropped in article.dropped_lines:
        if dropped.rule != "repeated-block":
            assert dropped.text not in body
    assert {d.rule for d in article.dropped_lines if "Lee wants" in d.text} == {"repeated-block"}


def test_dropped_line_inside_paragraph_splits_it(tmp_path, rules):
    article = read_one(tmp_path, rules, "x.txt", "Title\n\nFirst part.\nAdvertisement\nSecond.\n")
    assert article.paragraphs == ["First part.", "Second."]
    assert [(d.line, d.rule) for d in article.dropped_lines] == [(4, "ad/label")]


def test_site_from_file_name_applies_site_rules(tmp_path, rules):
    text = "Title\n\nStory text.\n\nExample News Plus: stories for members\n"
    plain = read_one(tmp_path, rules, "plain.txt", text)
    site = read_one(tmp_path, rules, "example-news-1.txt", text)
    assert plain.paragraphs == ["Story text.", "Example News Plus: stories for members"]
    assert site.site == "example-news"
    assert site.paragraphs == ["Story text."]


def test_markdown_markup_is_stripped(examples):
    article = by_id(examples, "trade-talks")
    assert article.title == "Seoul and Tokyo Agree to Widen Trade Talks"
    body = "\n".join(article.paragraphs)
    for markup in ("**", "*", "](", "[", "# ", "> ", "- "):
        assert markup not in body, markup
    assert "officials in Seoul and Tokyo said" in body
    assert "critical minerals" in body
    assert "joint stockpiles of key minerals" in article.paragraphs
    assert "What the framework would cover" in article.paragraphs
    assert article.paragraphs[0] == (
        "Negotiators set a spring deadline for a framework on critical minerals"
    )


def test_markdown_inline_cases(tmp_path, rules):
    article = read_one(
        tmp_path,
        rules,
        "m.md",
        "Intro line\n\n# Real Title #\n\nA __bold__ and _it_ word with snake_case and `code`.\n"
        "![photo](x.png)See [docs][1] or <https://example.org>.\n\n1. first\n2) second\n\n"
        "---\n[1]: https://example.org/docs\n",
    )
    assert article.title == "Real Title"
    assert article.paragraphs == [
        "Intro line",
        "A bold and it word with snake_case and code. See docs or https://example.org.",
        "first",
        "second",
    ]


def test_html_page_keeps_story_and_drops_page_furniture(examples):
    article = by_id(examples, "shuttle-diplomacy")
    assert article.title == "Leaders Revive Shuttle Diplomacy Between Tokyo and Seoul"
    body = "\n".join(article.paragraphs)
    assert article.paragraphs[0].startswith("Japanese Prime Minister Sanae Takaichi")
    assert "former U.S. ambassador" in body
    for junk in (
        "Most read",
        "Subscribe today",
        "All rights reserved",
        "Privacy",
        "Weekend weather",
        "Sign up for our newsletter",
    ):
        assert junk not in body, junk
    assert len(article.paragraphs) == 5


def test_html_without_text_is_an_error(tmp_path, rules):
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>"
    )
    batch = read_inputs([str(path)], rules)
    assert batch.articles == []
    assert batch.errors[0].path == str(path)
    assert "no article text" in batch.errors[0].message


def test_jsonl_batch(examples):
    jsonl = [a for a in examples.articles if a.input_path.endswith("briefs.jsonl")]
    assert [a.id for a in jsonl] == ["brief-fisheries", "brief-xi-apec", "brief-students"]
    assert [a.input_line for a in jsonl] == [1, 2, 3]
    assert [a.lang_hint for a in jsonl] == ["en", None, "en"]
    records = [json.loads(line) for line in (EXAMPLES / "briefs.jsonl").read_text().splitlines()]
    assert [a.paragraphs for a in jsonl] == [r["body"].split("\n\n") for r in records]


def test_jsonl_bad_lines_are_errors_and_good_lines_still_load(tmp_path, rules):
    lines = [
        json.dumps({"id": "good-1", "title": "T", "body": "Para one.\n\nPara two."}),
        "{not json",
        json.dumps({"id": "no-body", "title": "T"}),
        json.dumps({"id": "bad-title", "title": ["T"], "body": "x"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"title": "No id", "body": "Body.", "lang": "EN", "site": "example-news"}),
        json.dumps({"id": 7, "title": "", "body": "Number id.\nSecond line."}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    batch = read_inputs([str(path)], rules)
    assert [(e.line, e.path) for e in batch.errors] == [
        (2, str(path)),
        (3, str(path)),
        (4, str(path)),
        (6, str(path)),
    ]
    for error in batch.errors:
        assert 'expected {"id", "title", "body"} — fix or remove the line' in error.message
    assert "invalid JSON" in batch.errors[0].message
    assert '"body"' in batch.errors[1].message
    assert [a.id for a in batch.articles] == ["good-1", "batch-7", "7"]
    assert batch.articles[0].paragraphs == ["Para one.", "Para two."]
    assert batch.articles[1].lang_hint == "en"
    assert batch.articles[1].input_line == 7
    assert batch.articles[2].paragraphs == ["Number id.", "Second line."]


def test_jsonl_site_field_selects_site_rules(tmp_path, rules):
    path = tmp_path / "b.jsonl"
    path.write_text(
        json.dumps(
            {"id": "a", "title": "T", "body": "Story.\nView 2 comments", "site": "example-news"}
        )
    )
    article = read_inputs([str(path)], rules).articles[0]
    assert article.paragraphs == ["Story."]
    assert article.dropped_lines[0].line == 2


def test_named_file_with_unknown_suffix_is_an_error_but_ignored_in_folder(tmp_path, rules):
    (tmp_path / "notes.docx").write_text("x")
    (tmp_path / "a.txt").write_text("Title\n\nBody.")
    folder = read_inputs([str(tmp_path)], rules)
    assert folder.errors == []
    assert [a.id for a in folder.articles] == ["a"]
    named = read_inputs([str(tmp_path / "notes.docx")], rules)
    assert named.articles == []
    assert "unsupported file type '.docx'" in named.errors[0].message


def test_missing_path_is_an_error(rules):
    batch = read_inputs(["/nonexistent/story.txt"], rules)
    assert batch.errors == [
        InputError("/nonexistent/story.txt", None, "no such file or folder — check the path")
    ]


def test_folders_are_recursive_sorted_and_skip_hidden(tmp_path, rules):
    for rel in ("b/z.txt", "a/y.md", "c.TXT", ".hidden.txt", ".git/x.txt", "d/.secret/q.txt"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{rel}\n\nBody of {rel}.", encoding="utf-8")
    batch = read_inputs([str(tmp_path)], rules)
    assert [a.id for a in batch.articles] == ["y", "z", "c"]


def test_latin1_file_is_read_as_cp1252(tmp_path, rules):
    # Refused before issue 8; tests/test_encodings.py covers encodings and binary refusal.
    path = tmp_path / "latin1.txt"
    path.write_bytes("Title\n\nLine two\nCaf\u00e9".encode("latin-1"))
    batch = read_inputs([str(path)], rules)
    assert batch.errors == []
    assert batch.articles[0].paragraphs == ["Line two Café"]
    assert batch.articles[0].encoding == "cp1252"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_an_error(tmp_path, rules):
    path = tmp_path / "locked.txt"
    path.write_text("Title\n\nBody.")
    path.chmod(0)
    try:
        batch = read_inputs([str(path)], rules)
    finally:
        path.chmod(0o644)
    assert "cannot read file" in batch.errors[0].message


def test_file_with_only_boilerplate_is_an_error(tmp_path, rules):
    path = tmp_path / "junk.txt"
    path.write_text("Advertisement\nLoading...\n")
    batch = read_inputs([str(path)], rules)
    assert batch.articles == []
    assert "after removing 2 boilerplate lines" in batch.errors[0].message


def test_duplicate_ids_get_deterministic_suffixes(tmp_path, rules):
    for rel in ("a/story.txt", "b/story.txt", "c/story.md", "story-2.txt"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("T\n\nBody.")
    first = [a.id for a in read_inputs([str(tmp_path)], rules).articles]
    second = [a.id for a in read_inputs([str(tmp_path)], rules).articles]
    assert first == ["story", "story-2", "story-3", "story-2-2"]
    assert first == second


def test_korean_file_names_get_stable_distinct_ids(tmp_path, rules):
    for name in ("이재명-회담.txt", "다카이치-회담.txt"):
        (tmp_path / name).write_text("제목\n\n본문입니다.", encoding="utf-8")
    ids = [a.id for a in read_inputs([str(tmp_path)], rules).articles]
    again = [a.id for a in read_inputs([str(tmp_path)], rules).articles]
    assert ids == again
    assert len(set(ids)) == 2
    assert all(SAFE.fullmatch(i) for i in ids)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nara-summit", "nara-summit"),
        ("Hello World!", "Hello-World"),
        ("  a//b\\c  ", "a-b-c"),
        ("Café Seoul", "Cafe-Seoul"),
        ("v1.2_final", "v1.2_final"),
        ("-rf", "rf"),
        (".hidden", "hidden"),
    ],
)
def test_safe_id_examples(raw, expected):
    assert safe_id(raw) == expected


def test_safe_id_never_returns_dots_or_empty_and_hashes_non_latin():
    assert safe_id(".") not in {"", ".", ".."}
    assert safe_id("..").startswith("article-")
    assert safe_id("").startswith("article-")
    korean = safe_id("서울")
    assert korean.startswith("article-") and korean != safe_id("도쿄")
    mixed = safe_id("Lee 이재명")
    assert mixed.startswith("Lee-") and len(mixed) == len("Lee-") + 8
    long = safe_id("x" * 300)
    assert len(long) <= 80
    assert long != safe_id("x" * 301)


@given(st.text(max_size=200))
def test_safe_id_is_always_safe_and_stable(raw):
    result = safe_id(raw)
    assert SAFE.fullmatch(result)
    assert result not in {".", ".."}
    assert not result.startswith(("-", "."))
    assert len(result) <= 80
    assert safe_id(raw) == result


def test_article_from_text():
    article = article_from_text("  Lee visits   Nara ", "One.\n\nTwo\nlines.")
    assert article.input_path == "pasted"
    assert article.id == "Lee-visits-Nara"
    assert article.title == "Lee visits Nara"
    assert article.paragraphs == ["One.", "Two lines."]
    assert article_from_text("T", "A\nB", id="my id").paragraphs == ["A", "B"]
    assert article_from_text("T", "A", id="my id").id == "my-id"
    assert article_from_text("", "Body").id.startswith("pasted-")


def test_input_error_survives_pickling_and_prints_location():
    error = InputError("a.jsonl", 3, "bad — fix it")
    assert pickle.loads(pickle.dumps(error)) == error
    assert str(error) == "a.jsonl:3: bad — fix it"
    assert str(InputError("a.txt", None, "m")) == "a.txt: m"


def test_example_folder_copy_gives_same_ids(tmp_path, rules, examples):
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLES, copy)
    assert [a.id for a in read_inputs([str(copy)], rules).articles] == [
        a.id for a in examples.articles
    ]


def test_read_inputs_caps_local_files_at_20_mb_by_default(tmp_path, rules):
    from l10n.articles.read import DEFAULT_MAX_INPUT_BYTES

    assert DEFAULT_MAX_INPUT_BYTES == 20_000_000
    sparse = tmp_path / "huge.txt"
    with sparse.open("wb") as handle:  # a sparse file: 20 MB and 1 byte, no disk used
        handle.write(b"Title\n\n")
        handle.truncate(DEFAULT_MAX_INPUT_BYTES + 1)
    batch = read_inputs([str(sparse)], rules)
    assert batch.articles == []
    assert "over the 20 MB limit" in batch.errors[0].message
    assert "--max-input-mb 21" in batch.errors[0].message


def test_jsonl_lang_is_normalised(tmp_path, rules):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        '{"title": "A", "body": "x", "lang": "zh-TW"}\n{"title": "B", "body": "y", "lang": "JA"}\n'
    )
    batch = read_inputs([str(path)], rules)
    assert [a.lang_hint for a in batch.articles] == ["zh", "ja"]


def test_url_schemes_are_recognised_in_any_case(tmp_path, rules, monkeypatch):
    from l10n.articles import fetch

    seen = []

    def fake_fetch(url, **options):
        seen.append((url, options))
        raise InputError(url, None, "stopped here — test")

    monkeypatch.setattr(fetch, "download", fake_fetch)  # a page or a feed: one download
    batch = read_inputs(["HTTPS://Example-News.test/a"], rules, allow_private_urls=True)
    [(url, options)] = seen
    assert (url, options["allow_private"]) == ("HTTPS://Example-News.test/a", True)
    assert batch.errors[0].message == "stopped here — test"


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("ja", True),
        ("EN", True),
        ("en-US", True),
        ("zh_Hant", True),
        ("../../en", False),
        ("en-../../x", False),
        ("english", False),
        ("", False),
        ("e n", False),
    ],
)
def test_language_codes_must_be_well_formed_tags(code, valid):
    from l10n.text.languages import is_valid_code

    assert is_valid_code(code) is valid
