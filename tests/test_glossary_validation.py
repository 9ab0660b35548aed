"""`load_glossary` / `l10n glossary check`: every problem reported with its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from l10n.glossary import GlossaryError, load_glossary, parse_glossary_text

GOOD = """\
version: 1
source_language: en
entries:
  - id: sanae-takaichi
    type: person
    source: Sanae Takaichi
    targets: {ja: 高市早苗, ko: 다카이치 사나에}
    variants: {ja: [タカイチ・サナエ]}
  - id: takaichi
    type: person
    source: Takaichi
    short_form_of: sanae-takaichi
    targets: {ja: 高市, ko: 다카이치}
"""


def problems(text: str) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in parse_glossary_text(textwrap.dedent(text)).problems]


def test_good_file_has_no_problems() -> None:
    assert problems(GOOD) == []


def test_yaml_syntax_error_names_the_line() -> None:
    found = problems(GOOD.replace("    source: Takaichi\n", "    source: [Takaichi\n"))
    assert len(found) == 1
    assert found[0][0] >= 11
    assert "YAML syntax error" in found[0][1]


@pytest.mark.parametrize(
    ("edit", "line", "words"),
    [
        (
            ("    type: person\n    source: Takaichi", "    type: human\n    source: Takaichi"),
            10,
            "unknown type 'human'",
        ),
        (("    source: Takaichi\n", ""), 9, "lacks 'source'"),
        (
            ("{ja: 高市, ko: 다카이치}", "{jp: 高市, ko: 다카이치}"),
            13,
            "unknown target language 'jp'",
        ),
        (("{ja: 高市, ko: 다카이치}", "[高市, 다카이치]"), 13, "targets must be a mapping"),
        (("  - id: takaichi\n", "  - id: sanae-takaichi\n"), 9, "duplicate id 'sanae-takaichi'"),
        (("short_form_of: sanae-takaichi", "short_form_of: sanae"), 12, "names no entry"),
        (
            ("    source: Takaichi\n", "    source: Takaichi\n    colour: red\n"),
            12,
            "unknown key 'colour'",
        ),
        (("version: 1", "version: 2"), 1, "unsupported version 2"),
    ],
)
def test_each_problem_has_its_line(edit: tuple[str, str], line: int, words: str) -> None:
    old, new = edit
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1))
    assert any(words in message and got == line for got, message in found), found


def test_same_full_name_with_two_targets() -> None:
    text = GOOD + (
        "  - id: sanae-2\n    type: person\n    source: Sanae Takaichi\n    targets: {ja: 鷹一}\n"
    )
    found = problems(text)
    assert [line for line, m in found if "maps to different ja targets" in m] == [14]


def test_a_name_cannot_be_both_a_full_name_and_a_short_form() -> None:
    text = GOOD + (
        "  - id: takaichi-city\n    type: place\n    source: Takaichi\n    targets: {ja: 高一}\n"
    )
    found = problems(text)
    assert [line for line, m in found if "full name of 'takaichi-city'" in m] == [14]


def test_one_short_form_for_several_people_is_allowed() -> None:
    text = """\
version: 1
entries:
  - id: kim-jong-un
    type: person
    source: Kim Jong Un
    targets: {ja: 金正恩, ko: 김정은}
    short_forms:
      - {source: Kim, targets: {ja: 金, ko: 김}}
  - id: kim-yo-jong
    type: person
    source: Kim Yo Jong
    targets: {ja: 金与正, ko: 김여정}
    short_forms:
      - {id: kim-yj, source: Kim, targets: {ja: 金, ko: 김}, variants: {ko: [킴]}}
  - id: kim-shared
    type: person
    source: Kim Jung
    short_form_of: [kim-jong-un, kim-yo-jong]
    targets: {ja: 金正, ko: 김정}
"""
    parsed = parse_glossary_text(text)
    assert parsed.problems == []
    by_id = {e.id: e for e in parsed.entries}
    assert [e.id for e in parsed.entries] == [
        "kim-jong-un",
        "kim-jong-un.kim",
        "kim-yo-jong",
        "kim-yj",
        "kim-shared",
    ]
    assert by_id["kim-jong-un.kim"].short_form_of == ("kim-jong-un",)
    assert by_id["kim-jong-un.kim"].line == 8
    assert by_id["kim-yj"].variants == {"ko": ["킴"]}
    assert by_id["kim-shared"].short_form_of == ("kim-jong-un", "kim-yo-jong")


def test_nested_short_form_problems_have_lines() -> None:
    text = GOOD.replace(
        "    targets: {ja: 高市早苗, ko: 다카이치 사나에}\n",
        "    targets: {ja: 高市早苗, ko: 다카이치 사나에}\n"
        "    short_forms:\n      - {source: Takaichi, colour: red}\n",
    )
    found = problems(text)
    assert (9, "short form #1 of 'sanae-takaichi' has unknown key 'colour'") in found
    assert any(line == 9 and "lacks 'targets'" in m for line, m in found)


def test_variant_equal_to_another_entrys_target_is_allowed() -> None:
    # 광주 is Gwangju's house form and what engines write for Guangzhou
    text = """\
version: 1
entries:
  - {id: gwangju, type: place, source: Gwangju, targets: {ko: 광주}}
  - {id: guangzhou, type: place, source: Guangzhou, targets: {ko: 광저우}, variants: {ko: [광주]}}
"""
    assert problems(text) == []


def test_variant_equal_to_its_own_target() -> None:
    found = problems(
        GOOD.replace("variants: {ja: [タカイチ・サナエ]}", "variants: {ja: [高市早苗]}")
    )
    assert [line for line, m in found if "its own ja target" in m] == [4]


def test_all_problems_are_listed_not_just_the_first() -> None:
    text = GOOD.replace("type: person", "type: human").replace("{ja: 高市,", "{jp: 高市,")
    assert len(problems(text)) == 3


def test_load_glossary_raises_file_line_problem_fix(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(
        GOOD.replace("short_form_of: sanae-takaichi", "short_form_of: nobody"), encoding="utf-8"
    )
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    message = str(info.value)
    assert message.startswith(f"{path}:12: ")
    assert " — " in message


def test_loaded_glossary_has_path_and_digest(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text(GOOD, encoding="utf-8")
    glossary = load_glossary(path)
    assert glossary.path == path
    assert len(glossary.sha256) == 64
    assert [e.id for e in glossary.entries] == ["sanae-takaichi", "takaichi"]


def test_shipped_glossary_is_valid_and_broad() -> None:
    path = Path(__file__).resolve().parent.parent / "glossaries" / "leaders.yaml"
    glossary = load_glossary(path)
    ids = {e.id for e in glossary.entries}
    for needed in (
        "sanae-takaichi",
        "lee-jae-myung",
        "xi-jinping",
        "kim-jong-un",
        "tokyo",
        "seoul",
        "beijing",
        "nara",
        "korean-peninsula",
        "lai-ching-te",
    ):
        assert needed in ids
    assert all(e.note for e in glossary.entries)
    assert all(e.targets.keys() == {"ja", "ko"} for e in glossary.entries)
