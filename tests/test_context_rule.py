"""The context rule beyond English: Japanese and Korean sentences that lean on the sentences
before them are only suggested from the memory, never applied (l10n.text.context)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_architecture import shout_family  # noqa: F401 - a model family for the test

from l10n.review.decisions import Decision, save_decisions
from l10n.run.store import Run
from l10n.text.context import context_dependent


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("それは大きな成果だと述べた。", "ja", "それ"),
        ("この合意は来年発効する。", "ja", "この"),
        ("しかし、詳細は明らかにしていない。", "ja", "しかし"),
        ("「ただ、課題も残る」と語った。", "ja", "ただ"),
        ("同氏は記者団に語った。", "ja", "同氏"),
        ("両首脳は港で握手した。", "ja", "両首脳"),
        ("彼女は会談が順調だったと述べた。", "ja", "彼女"),
        ("市は同日、新しい桟橋を開いた。", "ja", "同日"),
        ("그는 회담이 잘 진행됐다고 말했다.", "ko", "그는"),
        ("이는 지난해보다 30% 늘어난 수치다.", "ko", "이는"),
        ("그러나 구체적인 내용은 밝히지 않았다.", "ko", "그러나"),
        ("양국 정상은 나라에서 만났다.", "ko", "양국"),
        ("그 회사는 문을 닫았다.", "ko", "그"),
        ("시는 이날 새 부두를 열었다.", "ko", "이날"),
        ("또 다른 배가 도착했다.", "ko", "또"),
    ],
)
def test_japanese_and_korean_sentences_that_lean_on_their_article(
    text: str, lang: str, word: str
) -> None:
    assert context_dependent(text, lang) == word


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("高市早苗首相は奈良で李在明大統領と会談した。", "ja"),
        ("港ではそれぞれ三隻の船が出る。", "ja"),  # それぞれ: "each"
        ("雨であれば運航を中止する。", "ja"),  # あれ inside であれば
        ("同時に三つの港が開いた。", "ja"),  # 同時: "at once", not "the said"
        ("이재명 대통령은 나라에서 다카이치 사나에 총리와 회담했다.", "ko"),
        ("이 대통령은 서울로 돌아왔다.", "ko"),  # 이 대통령: President Lee, a name
        ("그룹 본사는 서울에 있다.", "ko"),  # 그룹: group
        ("눈에 보이는 것보다 크다.", "ko"),  # 보이는: a verb
        ("그리스 선박이 부산에 들어왔다.", "ko"),  # 그리스: Greece
        ("또래 학생들이 모였다.", "ko"),  # 또래: peers
    ],
)
def test_sentences_that_name_what_they_are_about_are_not_held_back(text: str, lang: str) -> None:
    assert context_dependent(text, lang) is None


def test_other_source_languages_are_not_judged() -> None:
    assert context_dependent("Il a dit que les pourparlers se sont bien passés.", "fr") is None


@pytest.mark.usefixtures("shout_family")
def test_a_korean_approval_that_leans_on_its_article_is_only_suggested(tmp_path: Path) -> None:
    from conftest import GLOSSARY

    from l10n.pipeline import RunOptions, translate_run

    memory = tmp_path / "tm.sqlite"

    def run(run_id: str, name: str, text: str) -> Run:
        folder = tmp_path / run_id
        folder.mkdir()
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        translate_run(
            RunOptions(
                inputs=[str(folder)],
                targets=["ja"],
                engine="shout",
                glossary=str(GLOSSARY),
                out=str(tmp_path / "out"),
                run_id=run_id,
                memory=str(memory),
                source_lang="ko",
            )
        )
        return Run.open(tmp_path / "out" / run_id)

    named = "부산항에 새 여객선이 월요일에 들어왔다."
    leaning = "그는 운항이 순조롭다고 말했다."
    first = run("first", "ferry", f"부산항 소식\n\n{named} {leaning}\n")
    article = first.read_article("ferry")
    index = {s.text: s.index for s in article.plan.segments}
    save_decisions(
        first,
        "ferry",
        [
            Decision(index[leaning], "ja", "approved", "Mina", "船長は運航が順調だと述べた。"),
            Decision(
                index[named], "ja", "approved", "Mina", "釜山港に月曜日、新しい旅客船が入った。"
            ),
        ],
        memory_location=str(memory),
    )
    second = run("second", "other", f"다른 소식\n\n{named} {leaning}\n")
    reused = second.read_article("other")
    rows = {s.text: reused.translations["ja"][s.index] for s in reused.plan.segments}
    assert rows[named].origin == "approved"  # it names what it is about: applied
    assert rows[named].mt == "釜山港に月曜日、新しい旅客船が入った。"
    assert rows[leaning].origin == "mt" and "船長" not in rows[leaning].final  # not applied
    [hint] = [f for f in rows[leaning].flags if f.code == "memory-suggestion"]
    assert "船長は運航が順調だと述べた。" in hint.message and "'그는'" in hint.message
