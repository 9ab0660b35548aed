from __future__ import annotations

import json
from pathlib import Path

import pytest

from l10n.correct.qa import MIN_RATIO_CHARS, check_translation
from l10n.models import Translation

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
OWN_CODES = {"number-missing", "untranslated", "repetition", "length-ratio", "empty-output"}


def codes(source: str, final: str, lang: str = "ja", source_lang: str = "en") -> list[str]:
    translation = Translation(segment=0, lang=lang, mt=final, final=final)
    return [flag.code for flag in check_translation(source, translation, source_lang)]


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "final", "lang"),
    [
        ("More than 10,000 people came.", "1万人以上が来た。", "ja"),
        ("More than 10,000 people came.", "10000人以上が来た。", "ja"),
        ("More than 10,000 people came.", "１０,０００人以上が来た。", "ja"),
        ("More than 10,000 people came.", "1만 명 이상이 왔다.", "ko"),
        ("More than 10,000 people came.", "10,000명 이상이 왔다.", "ko"),
        ("Police sent 3,000 officers.", "警察は3千人の警官を派遣した。", "ja"),
        ("Police sent 3,000 officers.", "경찰은 경찰관 3천 명을 보냈다.", "ko"),
        ("Police sent 3,000 officers.", "警察は三千人の警官を派遣した。", "ja"),
        ("Growth slowed to 3.5% this year.", "今年の成長率は3.5%に鈍化した。", "ja"),
        ("Growth slowed to 3.5% this year.", "올해 성장률은 3.5퍼센트로 둔화했다.", "ko"),
        ("The election will be held in 2026.", "選挙は2026年に行われる。", "ja"),
        ("The election will be held in 2026.", "선거는 2026년에 치러진다.", "ko"),
        ("She finished 2nd in the race.", "彼女はレースで2位になった。", "ja"),
        ("They agreed on a 3.5 billion dollar fund.", "両者は35億ドルの基金で合意した。", "ja"),
        ("They agreed on a 3.5 billion dollar fund.", "양측은 35억 달러 기금에 합의했다.", "ko"),
        ("The budget is 120,000,000 yen.", "予算は1億2000万円だ。", "ja"),
        ("About 12,000 troops remain.", "약 1만 2천 명의 병력이 남아 있다.", "ko"),
        ("The firm raised $5m last week.", "同社は先週500万ドルを調達した。", "ja"),
        ("Die Inflation lag bei 2,5 Prozent.", "インフレ率は2.5%だった。", "ja"),
    ],
)
def test_numbers_in_any_east_asian_form_are_found(source: str, final: str, lang: str) -> None:
    assert "number-missing" not in codes(source, final, lang)


@pytest.mark.parametrize(
    ("source", "final", "lang", "missing"),
    [
        ("More than 10,000 people came.", "多くの人が来た。", "ja", "10,000"),
        ("More than 10,000 people came.", "1000人以上が来た。", "ja", "10,000"),
        ("Police sent 3,000 officers.", "경찰은 경찰관 300명을 보냈다.", "ko", "3,000"),
        (
            "They agreed on a 3.5 billion dollar fund.",
            "両者は3.5兆ドルの基金で合意した。",
            "ja",
            "3.5",
        ),
        ("The election will be held in 2026.", "選挙は2025年に行われる。", "ja", "2026"),
        ("Growth slowed to 3.5% this year.", "今年の成長率は35%に鈍化した。", "ja", "3.5"),
    ],
)
def test_missing_or_altered_numbers_are_flagged(
    source: str, final: str, lang: str, missing: str
) -> None:
    translation = Translation(0, lang, final, final)
    flags = [f for f in check_translation(source, translation, "en") if f.code == "number-missing"]
    assert len(flags) == 1
    assert missing in flags[0].message


def test_hangul_unit_syllable_inside_a_word_is_not_a_multiplier() -> None:
    # 3백화점 is "3 department stores", not 300.
    assert "number-missing" not in codes("There are 3 stores.", "3백화점이 있다.", "ko")
    assert "number-missing" in codes("There are 300 stores.", "3백화점이 있다.", "ko")


# --- untranslated -------------------------------------------------------------------------


def test_output_identical_to_source_is_untranslated() -> None:
    text = "The minister resigned on Tuesday after the vote."
    assert codes(text, text, "ja") == ["untranslated"]
    assert codes(text, text, "ko") == ["untranslated"]


def test_mostly_latin_output_for_japanese_is_untranslated() -> None:
    source = "The minister resigned on Tuesday after the vote."
    assert "untranslated" in codes(
        source, "大臣は minister resigned on Tuesday after the vote", "ja"
    )
    assert "untranslated" in codes(
        source, "장관은 minister resigned on Tuesday after the vote", "ko"
    )


def test_korean_left_in_a_japanese_target_is_untranslated() -> None:
    source = "대통령은 화요일 국회에서 새 예산안을 발표했다."
    assert "untranslated" in codes(
        source, "대통령은 화요일 국회에서 새 예산안을 발표했다", "ja", "ko"
    )


@pytest.mark.parametrize(
    ("source", "final", "lang"),
    [
        ("The minister resigned on Tuesday.", "大臣は火曜日に辞任した。", "ja"),
        ("The minister resigned on Tuesday.", "장관은 화요일에 사임했다.", "ko"),
        ("Apple unveiled the iPhone 17 Pro Max.", "AppleはiPhone 17 Pro Maxを発表した。", "ja"),
        ("NATO", "NATO", "ja"),  # too short to judge
    ],
)
def test_translated_text_with_some_latin_names_is_not_untranslated(
    source: str, final: str, lang: str
) -> None:
    assert "untranslated" not in codes(source, final, lang)


# --- repetition ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("final", "lang"),
    [
        ("Los estudiantes matriculados matriculados matriculados.", "es"),
        ("学生たちは大学に在籍した在籍した在籍した。", "ja"),
        ("東京大学の東京大学の東京大学の規則", "ja"),
        ("학생들은 학생들은 학생들은 대학에 등록했다.", "ko"),
        ("大統領はははははと笑った。", "ja"),
        ("the students of the students of the students of Nara", "es"),
    ],
)
def test_token_loops_are_flagged(final: str, lang: str) -> None:
    assert "repetition" in codes("The students enrolled at the university in Nara.", final, lang)


@pytest.mark.parametrize(
    ("source", "final", "lang"),
    [
        ("People went there again and again.", "人々は何度も何度もそこへ行った。", "ja"),
        ("People went there again and again.", "사람들은 몇 번이고 그곳에 갔다.", "ko"),
        ("Prices rose steadily.", "物価はどんどん上がった。", "ja"),
        ("The budget is 1,000,000 yen.", "予算は1000000円だ。", "ja"),
        ("Go, go, go! the crowd shouted.", "Vamos, vamos, vamos, gritaba la multitud.", "es"),
    ],
)
def test_ordinary_doubling_and_source_repetition_are_not_loops(
    source: str, final: str, lang: str
) -> None:
    assert "repetition" not in codes(source, final, lang)


# --- length ratio -------------------------------------------------------------------------


SOURCE = "Prime Minister Sanae Takaichi met President Lee Jae Myung in Nara on Saturday."


def test_typical_lengths_pass() -> None:
    assert codes(SOURCE, "高市早苗首相は土曜日、奈良で李在明大統領と会談した。", "ja") == []
    assert (
        codes(SOURCE, "다카이치 사나에 총리는 토요일 나라에서 이재명 대통령을 만났다.", "ko") == []
    )


def test_truncated_output_is_too_short() -> None:
    flags = check_translation(SOURCE, Translation(0, "ja", "高市首相。", "高市首相。"), "en")
    assert [f.code for f in flags] == ["length-ratio"]
    assert "short" in flags[0].message and "en→ja" in flags[0].message


def test_runaway_output_is_too_long() -> None:
    final = "高市早苗首相は土曜日、奈良で李在明大統領と会談し、" * 4
    assert "length-ratio" in codes(SOURCE, final, "ja")


def test_short_segments_skip_the_ratio() -> None:
    short = "Takaichi wins"
    assert len(short.replace(" ", "")) < MIN_RATIO_CHARS
    assert "length-ratio" not in codes(short, "高", "ja")


def test_korean_to_japanese_uses_its_own_bounds() -> None:
    source = "다카이치 사나에 총리는 토요일 나라에서 이재명 대통령을 만났다."
    assert codes(source, "高市早苗首相は土曜日、奈良で李在明大統領と会談した。", "ja", "ko") == []


# --- empty and copied ---------------------------------------------------------------------


def test_empty_output_is_an_error_and_the_only_flag() -> None:
    flags = check_translation(SOURCE, Translation(0, "ja", "", "  "), "en")
    assert [(f.code, f.severity) for f in flags] == [("empty-output", "error")]


def test_copied_same_language_target_gets_no_flags() -> None:
    text = "高市早苗首相は土曜日、奈良で李在明大統領と会談した。"
    assert codes(text, text, "ja", "ja") == []


def test_every_flag_has_a_message() -> None:
    final = "学生学生学生学生 students students students"
    flags = check_translation(SOURCE + " 10,000", Translation(0, "ja", final, final), "en")
    assert {f.code for f in flags} >= {"number-missing", "repetition"}
    assert all(f.message and f.severity in ("warning", "error") for f in flags)


def test_fixture_flags_match_the_checks() -> None:
    """The hand-written sample run stays consistent with what the checks compute."""
    for segments in sorted(FIXTURE.glob("*/segments.jsonl")):
        for line in segments.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            for lang, data in row["targets"].items():
                stored = [f for f in data["flags"] if f["code"] in OWN_CODES]
                fresh = check_translation(
                    row["source"], Translation(row["index"], lang, data["mt"], data["final"]), "en"
                )
                assert stored == [
                    {"code": f.code, "message": f.message, "severity": f.severity, "entry_id": None}
                    for f in fresh
                ]
