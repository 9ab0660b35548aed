"""The Korean particle grammar (glossary_cases/ko_particles.yaml) and its use in enforcement."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from l10n.glossary import apply_changes, glossary_from_text
from l10n.glossary.korean import coda, number_final
from l10n.glossary.korean_particles import ALTERNATIONS, attach, repair

TABLE = Path(__file__).resolve().parent / "glossary_cases" / "ko_particles.yaml"
CASES = yaml.safe_load(TABLE.read_text(encoding="utf-8"))["cases"]


def test_the_table_is_several_hundred_cases_in_both_directions() -> None:
    assert len(CASES) >= 300
    changed = [c for c in CASES if str(c[1]) != str(c[2])]
    kept = [c for c in CASES if str(c[1]) == str(c[2])]
    assert len(changed) >= 150 and len(kept) >= 100
    # every alternating particle is exercised in both of its forms
    written = {str(c[1]) for c in CASES}
    for alternation in ALTERNATIONS:
        ending = alternation.endings[0] if not alternation.open_ending else "다"
        assert alternation.consonant + ending in written
        assert alternation.vowel + ending in written


@pytest.mark.parametrize(
    ("word", "written", "expected"),
    [
        pytest.param(str(w), str(a), str(b), id=f"{i:03d}-{w}{a}")
        for i, (w, a, b) in enumerate(CASES)
    ],
)
def test_particle(word: str, written: str, expected: str) -> None:
    # a following word checks that the particle is recognised as ending its word
    assert attach(word, written + " 했다") == word + expected + " 했다"
    assert attach(word, written) == word + expected


@pytest.mark.parametrize(
    ("digits", "final"),
    [("1", 8), ("2", 0), ("3", 16), ("6", 1), ("10", 17), ("16", 1), ("19", 0), ("200", 1),
     ("3000", 4), ("30000", 4), ("400000", 4), ("500000000", 1), ("0", 21), ("1,000", 4)],
)  # fmt: skip
def test_sino_korean_reading_of_numbers(digits: str, final: int) -> None:
    assert number_final(digits) == final


def test_unknown_sounds_leave_the_particle_alone() -> None:
    assert coda("Google") is None
    assert coda("李") is None
    assert repair("李", "李는", 1) is None


def test_repair_returns_an_edit_on_the_text() -> None:
    text = '영화 "도쿄"이 수상했다'
    assert repair("도쿄", text, 6) == (7, 8, "가")
    assert (
        repair("도쿄", "그는 (도쿄)은", 6) is None
    )  # inside an aside: agrees with the word before


PROTECT = """\
version: 1
strategy: protect
entries:
  - {id: tokyo, type: place, source: Tokyo, targets: {ko: 도쿄}}
  - {id: seoul, type: place, source: Seoul, targets: {ko: 서울}}
  - {id: busan, type: place, source: Busan, targets: {ko: 부산}, variants: {ko: [푸산]}}
"""


@pytest.mark.parametrize(
    ("source", "mt", "expected"),
    [
        # an engine picks the particle for the placeholder's digit (일 ends in ㄹ, 이 in a vowel)
        ("Tokyo is big.", "⟦1⟧은 크다.", "도쿄는 크다."),
        ("He flew to Seoul.", "그는 ⟦1⟧로 날아갔다.", "그는 서울로 날아갔다."),
        ("He flew to Busan.", "그는 ⟦1⟧로 날아갔다.", "그는 부산으로 날아갔다."),
        ("Seoul and Tokyo.", "⟦1⟧와 ⟦2⟧가 합의했다.", "서울과 도쿄가 합의했다."),
        ("It was Busan.", "그곳은 ⟦1⟧였다.", "그곳은 부산이었다."),
        ("It is Tokyo.", "그곳은 ⟦1⟧이다.", "그곳은 도쿄다."),
    ],
)
def test_particles_follow_restored_placeholders(source: str, mt: str, expected: str) -> None:
    glossary = glossary_from_text(PROTECT)
    protection = glossary.protect(source, "ko")
    result = glossary.enforce("ko", source, mt, protection=protection)
    assert result.text == expected
    assert apply_changes(mt, result.changes) == result.text
