"""Placeholders: literal look-alikes in the source, mangled and stored placeholders."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.glossary import Glossary, apply_changes, glossary_from_text, load_glossary
from l10n.text.placeholders import first_free_number

ROOT = Path(__file__).resolve().parent.parent
LEADERS = load_glossary(ROOT / "glossaries" / "leaders.yaml")
PROTECT = """\
version: 1
strategy: protect
entries:
  - {id: tokyo, type: place, source: Tokyo, targets: {ja: 東京, ko: 도쿄}}
  - {id: seoul, type: place, source: Seoul, targets: {ja: ソウル, ko: 서울}}
"""


@pytest.fixture
def protecting() -> Glossary:
    return glossary_from_text(PROTECT)


def test_slots_are_numbered_above_bracketed_numbers_in_the_source() -> None:
    assert first_free_number("Tokyo and Seoul.") == 1
    assert first_free_number("The ⟦1⟧ mark and note [3] and 【12】.") == 13


def test_a_literal_placeholder_in_the_source_is_left_alone(protecting: Glossary) -> None:
    source = "The code ⟦1⟧ was found in Tokyo."
    protection = protecting.protect(source, "ja")
    assert protection.text == "The code ⟦1⟧ was found in ⟦2⟧."
    mt = "コード⟦1⟧は⟦2⟧で見つかった。"
    result = protecting.enforce("ja", source, mt, protection=protection)
    assert result.text == "コード⟦1⟧は東京で見つかった。"
    assert result.flags == []
    assert apply_changes(mt, result.changes) == result.text


def test_a_footnote_number_is_not_taken_for_a_mangled_slot(protecting: Glossary) -> None:
    source = "Seoul grew [1]."
    protection = protecting.protect(source, "ko")
    assert [s.number for s in protection.slots] == [2]
    result = protecting.enforce("ko", source, "[2]는 성장했다 [1].", protection=protection)
    assert result.text == "서울은 성장했다 [1]."
    assert [f.code for f in result.flags] == ["placeholder-mangled"]


def test_a_placeholder_the_source_never_had_is_flagged(protecting: Glossary) -> None:
    result = protecting.enforce("ja", "Tokyo.", "⟦1⟧と⟦7⟧。")
    assert result.text == "東京と⟦7⟧。"
    assert "placeholder-unknown" in [f.code for f in result.flags]


def test_stored_pseudo_output_is_restored_without_its_protection() -> None:
    # the pseudo engine protects every entry even in a post-edit glossary; a stored run
    # keeps only the raw output, so enforcement works out which protection made it
    source = "Sanae Takaichi met Lee Jae Myung in Tokyo."
    protection = LEADERS.protect(source, "ko", strategy="protect")
    assert protection.text == "⟦1⟧ met ⟦2⟧ in ⟦3⟧."
    mt = "[⟦1⟧ ｍｅｔ ⟦2⟧ ｉｎ ⟦3⟧. ·····]"
    result = LEADERS.enforce("ko", source, mt)
    assert result.text == "[다카이치 사나에 ｍｅｔ 이재명 ｉｎ 도쿄. ·····]"
    assert "⟦" not in result.text


def test_protection_survives_a_round_trip_through_the_stored_run(protecting: Glossary) -> None:
    from l10n.models import Segment, Translation
    from l10n.run.codec import _target_row, _translation

    protection = protecting.protect("Tokyo and Seoul.", "ko")
    stored = _target_row(Translation(0, "ko", "⟦1⟧와 ⟦2⟧", "", protection=protection))
    again = _translation(Segment("a", 0, 0, "Tokyo and Seoul."), "ko", stored).protection
    assert again == protection
    result = protecting.enforce("ko", "Tokyo and Seoul.", "⟦1⟧와 ⟦2⟧", protection=again)
    assert result.text == "도쿄와 서울"
