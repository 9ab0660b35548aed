"""The memory trusts no file on its own word: forged, future-dated or mislabelled approvals."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_architecture import shout_family  # noqa: F401 - a model family for the test

from l10n.mt.memory import open_memory
from l10n.mt.memory.tmx import import_tmx
from l10n.review.decisions import Decision, save_decisions
from l10n.run.store import Run

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
RUN_ID = "20260301T090000Z-sample"


def tmx(units: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>{units}</body></tmx>
"""


def unit(source: str, lang: str, text: str, *, date: str = "20260101T000000Z") -> str:
    return (
        f'<tu creationid="forger" changedate="{date}"><prop type="x-l10n-origin">approved</prop>'
        f'<tuv xml:lang="en"><seg>{source}</seg></tuv>'
        f'<tuv xml:lang="{lang}"><seg>{text}</seg></tuv></tu>'
    )


def test_a_forged_approval_is_not_trusted_without_a_voucher(tmp_path: Path) -> None:
    path = tmp_path / "forged.tmx"
    path.write_text(tmx(unit("The bridge opened.", "ja", "橋が開通した。")), "utf-8")
    with open_memory(tmp_path / "tm.sqlite") as memory:
        result = import_tmx(memory, path)
        assert result.approved == 0 and memory.stats().approved == 0
        assert any("can't vouch for itself" in reason for reason in result.skipped)
        result = import_tmx(memory, path, reviewer="Mina Park", as_approved=True)
        [stored] = list(memory.iter_approved())
    assert result.approved == 1
    assert stored.reviewer == "Mina Park"  # not the forger's creationid
    assert stored.run_id == "import:forged.tmx"  # where it came from


def test_future_dates_are_clamped_and_a_reviewer_still_replaces_them(tmp_path: Path) -> None:
    path = tmp_path / "future.tmx"
    source = "Lee thanked the people of Nara."
    path.write_text(tmx(unit(source, "ko", "미래의 번역.", date="29990101T000000Z")), "utf-8")
    location = tmp_path / "tm.sqlite"
    with open_memory(location) as memory:
        import_tmx(memory, path, reviewer="desk", as_approved=True)
        [stored] = list(memory.iter_approved())
    assert stored.approved_at <= datetime.now(UTC)
    # Even a row dated 2999 already in a memory gives way to a reviewer deciding now.
    with open_memory(location) as memory:
        memory.approve(
            [
                type(stored)(
                    source,
                    "en",
                    "ko",
                    "미래의 번역.",
                    "x",
                    approved_at=datetime(2999, 1, 1, tzinfo=UTC),
                )
            ]
        )
    run_dir = tmp_path / "out" / RUN_ID
    shutil.copytree(FIXTURE, run_dir)
    edit = "이 대통령은 나라 사람들에게 감사했다."
    result = save_decisions(
        Run.open(run_dir),
        "nara-summit",
        [Decision(4, "ko", "approved", "Mina Park", edit)],
        memory_location=str(location),
    )
    assert result.memory_approved == 1
    with open_memory(location) as memory:
        [stored] = list(memory.iter_approved())
    assert (stored.target_text, stored.reviewer) == (edit, "Mina Park")


@pytest.mark.parametrize(
    ("lang", "text", "script"),
    [("ko", "高市首相は奈良で会談した。", "kana"), ("ja", "이재명 대통령이 말했다.", "hangul")],
)
def test_text_in_another_languages_script_is_refused(
    tmp_path: Path, lang: str, text: str, script: str
) -> None:
    path = tmp_path / "relabelled.tmx"
    path.write_text(tmx(unit("The leaders met.", lang, text)), "utf-8")
    with open_memory(tmp_path / "tm.sqlite") as memory:
        result = import_tmx(memory, path, reviewer="desk", as_approved=True)
        assert result.approved == 0 and memory.stats().approved == 0
    [reason] = list(result.skipped)
    assert f"written in {script}" in reason and "fix the file's language labels" in reason


@pytest.mark.usefixtures("shout_family")
def test_reuse_names_its_origin_and_context_dependent_sentences_are_only_suggested(
    tmp_path: Path,
) -> None:
    from conftest import GLOSSARY

    from l10n.pipeline import RunOptions, translate_run
    from l10n.review.app.views import unit_view

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "lee-visit.txt").write_text(
        "Lee visits Tokyo\n\nLee Jae Myung arrived in Tokyo on Monday. "
        "He said the talks went well.\n",
        encoding="utf-8",
    )
    memory = tmp_path / "tm.sqlite"

    def run(run_id: str, folder: Path, engine: str) -> Run:
        translate_run(
            RunOptions(
                inputs=[str(folder)],
                targets=["ja"],
                engine=engine,
                glossary=str(GLOSSARY),
                out=str(tmp_path / "out"),
                run_id=run_id,
                memory=str(memory),
            )
        )
        return Run.open(tmp_path / "out" / run_id)

    first = run("first", inputs, "shout")
    article = first.read_article("lee-visit")
    segments = [s.text for s in article.plan.segments]
    said = segments.index("He said the talks went well.")
    arrived = segments.index("Lee Jae Myung arrived in Tokyo on Monday.")
    save_decisions(
        first,
        "lee-visit",
        [
            Decision(said, "ja", "approved", "Mina Park", "李大統領は会談がうまくいったと述べた。"),
            Decision(
                arrived, "ja", "approved", "Mina Park", "李在明大統領が月曜日に東京に到着した。"
            ),
        ],
        memory_location=str(memory),
    )
    other = tmp_path / "other"
    other.mkdir()
    (other / "xi-visit.txt").write_text(
        "Xi visits Tokyo\n\nLee Jae Myung arrived in Tokyo on Monday. "
        "He said the talks went well.\n",
        encoding="utf-8",
    )
    second = run("second", other, "shout")
    reused = second.read_article("xi-visit")
    rows = {s.text: reused.translations["ja"][s.index] for s in reused.plan.segments}
    named = rows["Lee Jae Myung arrived in Tokyo on Monday."]
    assert named.origin == "approved" and named.mt == "李在明大統領が月曜日に東京に到着した。"
    assert named.provenance.startswith("approved by Mina Park on ")
    assert "in run first, article lee-visit" in named.provenance
    pronoun = rows["He said the talks went well."]
    assert pronoun.origin == "mt" and "李大統領" not in pronoun.final  # not applied
    [hint] = [f for f in pronoun.flags if f.code == "memory-suggestion"]
    assert "李大統領は会談がうまくいったと述べた。" in hint.message and "'He'" in hint.message
    # The page, the XLIFF and the report page name the origin.
    assert unit_view("second", reused, named)["provenance"] == named.provenance
    xlf = (tmp_path / "out" / "second" / "xi-visit" / "ja.xlf").read_text(encoding="utf-8")
    assert "reused from the translation memory: approved by Mina Park" in xlf
    page = (tmp_path / "out" / "second" / "xi-visit" / "report.html").read_text(encoding="utf-8")
    assert "from the memory: approved by Mina Park" in page
