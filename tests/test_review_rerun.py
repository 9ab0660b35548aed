"""Reviews survive re-runs, glossary reapply, and a save killed or failing at any step."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, GLOSSARY

from l10n.glossary import load_glossary
from l10n.pipeline import RunOptions, translate_run
from l10n.review.decisions import Decision, save_decisions
from l10n.review.reapply import reapply_run
from l10n.run.store import Run

ARTICLE = "nara-summit"


def translate(inputs: list[Path], out: Path, glossary: Path, run_id: str = "r1") -> Run:
    translate_run(
        RunOptions(
            inputs=[str(p) for p in inputs],
            targets=["ja", "ko"],
            engine="pseudo",
            glossary=str(glossary),
            out=str(out),
            run_id=run_id,
            memory=str(out / "tm.sqlite"),
        )
    )
    return Run.open(out / run_id)


def reviews(run: Run, article: str, lang: str) -> dict[int, dict]:
    rows = run.read_segment_rows(article) or []
    return {
        r["index"]: r["targets"][lang]["review"] for r in rows if r["targets"][lang].get("review")
    }


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    copy = tmp_path / "glossary.yaml"
    shutil.copy(GLOSSARY, copy)
    return copy


def test_a_rerun_after_a_glossary_edit_keeps_every_decision(tmp_path: Path, glossary: Path) -> None:
    out = tmp_path / "out"
    run = translate([EXAMPLES / "nara-summit.txt"], out, glossary)
    article = run.read_article(ARTICLE)
    count = len(article.plan.segments)
    which = next(
        i for i, t in enumerate(article.translations["ko"]) if "이재명" in t.final
    )  # a segment whose text the glossary edit below changes
    save_decisions(run, ARTICLE, [Decision(i, "ko", "approved", "Mina") for i in range(count)])
    save_decisions(run, ARTICLE, [Decision(0, "ja", "rejected", "Kenji", comment="tone")])
    assert (out / "r1" / ARTICLE / "ko.reviewed.txt").exists()
    # The house form of one name changes: the run id is re-run, the article translated again.
    text = glossary.read_text(encoding="utf-8").replace("ko: 이재명}", "ko: 이재명 대통령}", 1)
    assert text != glossary.read_text(encoding="utf-8")
    glossary.write_text(text, encoding="utf-8")
    run = translate([EXAMPLES / "nara-summit.txt"], out, glossary)
    ko = reviews(run, ARTICLE, "ko")
    assert sorted(ko) == list(range(count))  # not one decision lost
    assert ko[which]["status"] == "needs-recheck"  # its text changed under the approval
    old = ko[which]["text"]
    assert "이재명" in old and run.read_article(ARTICLE).translations["ko"][which].final != old
    assert all(r["status"] == "approved" for i, r in ko.items() if i != which)
    assert reviews(run, ARTICLE, "ja")[0]["status"] == "rejected"
    # Not every segment approved any more: the published text goes, the draft says why.
    folder = out / "r1" / ARTICLE
    assert not (folder / "ko.reviewed.txt").exists()
    draft = (folder / "ko.draft.txt").read_text(encoding="utf-8")
    assert "[NEEDS RE-CHECK]" in draft and "needs re-check 1" in draft
    summary = json.loads((out / "r1" / "run.json").read_text(encoding="utf-8"))
    counts = summary["articles"]["done"][0]["targets"]["ko"]["reviews"]
    assert counts == {"approved": count - 1, "rejected": 0, "open": 0, "recheck": 1}
    # The reviewer approves the new text: publishable again.
    save_decisions(run, ARTICLE, [Decision(which, "ko", "approved", "Mina")])
    assert (folder / "ko.reviewed.txt").exists()


def test_reapply_keeps_decisions_engines_and_marks_changed_approvals(
    tmp_path: Path, glossary: Path
) -> None:
    out = tmp_path / "out"
    inputs = [EXAMPLES / "nara-summit.txt", EXAMPLES / "mt-drafts.jsonl"]
    run = translate(inputs, out, glossary)
    provided = "draft-lee-tokyo-visit"
    before = run.read_manifest(provided)
    assert before["engine"]["name"] == "provided" and before["pseudo"] is False
    save_decisions(run, provided, [Decision(0, "ko", "approved", "Mina")])
    save_decisions(run, ARTICLE, [Decision(1, "ko", "approved", "Mina")])
    text = glossary.read_text(encoding="utf-8").replace("ko: 이재명}", "ko: 이재명 대통령}", 1)
    glossary.write_text(text, encoding="utf-8")
    reapply_run(run, load_glossary(glossary))
    after = run.read_manifest(provided)
    assert after["engine"]["name"] == "provided" and after["pseudo"] is False
    assert after["targets"]["ko"].get("engine") in (None, "provided")
    ko = (out / "r1" / provided / "ko.txt").read_text(encoding="utf-8")
    assert not ko.startswith("# PSEUDO")
    assert reviews(run, provided, "ko")[0]["status"] in ("approved", "needs-recheck")
    assert reviews(run, ARTICLE, "ko")[1]["status"] == "needs-recheck"  # 이재명 → 이재명 대통령
    # the pseudo article is still labelled pseudo in every file, the provided one nowhere
    assert "PSEUDO" in (out / "r1" / ARTICLE / "ko.xlf").read_text(encoding="utf-8")
    assert "PSEUDO" not in (out / "r1" / provided / "ko.xlf").read_text(encoding="utf-8")
    # A resume after reapply keeps them too (the provided article is not re-labelled).
    run = translate(inputs, out, glossary)
    assert 0 in reviews(run, provided, "ko") and 1 in reviews(run, ARTICLE, "ko")
    assert run.read_manifest(provided)["pseudo"] is False


_SAVE = """
import os, signal, sys
from l10n.review.decisions import Decision, save_decisions
from l10n.run.store import Run
import l10n.run.storage as storage

step = int(sys.argv[2])
calls = [0]
for cls in (storage.LocalStorage,):
    original = cls.write
    def write(self, rel, data, _original=original):
        calls[0] += 1
        if calls[0] == step:
            if sys.argv[3] == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            raise OSError(28, "No space left on device")
        _original(self, rel, data)
    cls.write = write
run = Run.open(sys.argv[1])
save_decisions(run, "nara-summit", [Decision(i, "ja", "approved", "Mina") for i in range(5)])
print("done", calls[0])
"""


@pytest.mark.parametrize("how", ["kill", "full"])
def test_a_save_killed_or_failing_at_any_write_leaves_a_readable_article(
    tmp_path: Path, how: str
) -> None:
    fixture = Path(__file__).parent / "fixtures" / "run_sample"
    base = tmp_path / "base"
    shutil.copytree(fixture, base)
    save_decisions(Run.open(base), ARTICLE, [Decision(3, "ko", "rejected", "Kenji")])
    script = tmp_path / "save.py"
    script.write_text(_SAVE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    step, finished = 1, False
    while not finished:
        folder = tmp_path / f"{how}-{step}"
        shutil.copytree(base, folder)
        done = subprocess.run(
            [sys.executable, str(script), str(folder), str(step), how],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        finished = done.returncode == 0
        if not finished:
            if how == "kill":
                assert done.returncode == -signal.SIGKILL, done.stderr
            run = Run.open(folder)
            article = run.read_article(ARTICLE)  # readable, whatever step it stopped at
            manifest = json.loads((folder / ARTICLE / "manifest.json").read_text("utf-8"))
            assert manifest["id"] == ARTICLE  # never {}
            assert article.translations["ko"][3].review is not None  # the older decision
            assert not (folder / ARTICLE / "ja.reviewed.txt").exists() or all(
                t.review is not None and t.review.status == "approved"
                for t in article.translations["ja"]
            )
            # the next save repairs it from what is on disk
            save_decisions(run, ARTICLE, [Decision(i, "ja", "approved", "Mina") for i in range(5)])
            repaired = run.read_article(ARTICLE)
            assert all(t.review is not None for t in repaired.translations["ja"])
            assert run.is_complete(ARTICLE, run.read_manifest(ARTICLE)["fingerprint"])
        step += 1
        assert step < 40
    assert step > 3  # the save did write several files, each of them interrupted once


def test_article_ids_stay_with_their_input_when_a_new_duplicate_appears(
    tmp_path: Path, glossary: Path
) -> None:
    folder = tmp_path / "in"
    for sub, text in (
        ("b", "Jeju ferry resumes\n\nThe ferry to Jeju sailed again on Monday."),
        ("c", "Kyoto temple reopens\n\nThe temple in Kyoto opened its gates on Tuesday."),
    ):
        (folder / sub).mkdir(parents=True)
        (folder / sub / "dup.txt").write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "out"
    run = translate([folder], out, glossary)
    ids = {o.input.split("/")[-2]: o.id for o in run.read_summary().done}
    assert ids == {"b": "dup", "c": "dup-2"}
    jeju = ids["b"]
    count = len(run.read_article(jeju).plan.segments)
    save_decisions(run, jeju, [Decision(i, "ja", "approved", "Mina") for i in range(count)])
    # A new a/dup.txt is found first on the resume: it takes a new id, the others keep theirs.
    (folder / "a").mkdir()
    (folder / "a" / "dup.txt").write_text(
        "Osaka market opens\n\nA market in Osaka opened at dawn.\n", encoding="utf-8"
    )
    run = translate([folder], out, glossary)
    ids = {o.input.split("/")[-2]: o.id for o in run.read_summary().done}
    assert ids == {"a": "dup-3", "b": "dup", "c": "dup-2"}
    reviewed = (out / "r1" / "dup" / "ja.reviewed.txt").read_text(encoding="utf-8")
    assert "Jeju" in (out / "r1" / "dup" / "source.txt").read_text(encoding="utf-8")
    assert len(reviews(run, "dup", "ja")) == count and reviewed.strip()
    assert not (out / "r1" / "dup-2" / "ja.reviewed.txt").exists()


def test_reviews_of_a_sentence_the_input_lost_are_kept_beside_the_article(
    tmp_path: Path, glossary: Path
) -> None:
    story = tmp_path / "in" / "ferry.txt"
    story.parent.mkdir()
    story.write_text(
        "Ferry resumes\n\nThe ferry sailed again on Monday. Tickets sold out.\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    run = translate([story.parent], out, glossary)
    article = run.read_article("ferry")
    tickets = next(s.index for s in article.plan.segments if s.text == "Tickets sold out.")
    save_decisions(run, "ferry", [Decision(tickets, "ko", "approved", "Mina", comment="ok")])
    story.write_text(
        "Ferry resumes\n\nThe ferry sailed again on Monday. Every ticket was sold.\n",
        encoding="utf-8",
    )
    run = translate([story.parent], out, glossary)
    assert reviews(run, "ferry", "ko") == {}  # no segment has that source any more
    kept = run.read_segment_rows("ferry", "reviews.orphaned.jsonl")
    assert kept is not None and [(r["source"], r["lang"]) for r in kept] == [
        ("Tickets sold out.", "ko")
    ]
    assert kept[0]["review"]["reviewer"] == "Mina" and kept[0]["review"]["comment"] == "ok"
    # A review save later does not remove it.
    save_decisions(run, "ferry", [Decision(0, "ko", "rejected", "Mina")])
    assert (out / "r1" / "ferry" / "reviews.orphaned.jsonl").exists()


def test_a_provided_draft_names_the_input_it_came_with(tmp_path: Path, glossary: Path) -> None:
    from l10n.review.app.views import unit_view

    out = tmp_path / "out"
    run = translate([EXAMPLES / "mt-drafts.jsonl"], out, glossary)
    article = run.read_article("draft-lee-tokyo-visit")
    view = unit_view("r1", article, article.translations["ko"][0])
    assert view["provenance"] == f"brought with the input {article.article.input_path}"
    assert view["provenance"].endswith("mt-drafts.jsonl")


def test_a_resume_takes_the_decision_log_into_the_article(tmp_path: Path, glossary: Path) -> None:
    out = tmp_path / "out"
    run = translate([EXAMPLES / "nara-summit.txt"], out, glossary)
    save_decisions(run, ARTICLE, [Decision(0, "ko", "rejected", "Mina")])
    save_decisions(run, ARTICLE, [Decision(1, "ko", "approved", "Mina")])
    log = out / "r1" / ARTICLE / "decisions.jsonl"
    assert len(log.read_text("utf-8").splitlines()) == 2  # waiting in the log
    assert not (out / "r1" / ARTICLE / "ko.draft.txt").exists()  # rendered when written whole
    run = translate([EXAMPLES / "nara-summit.txt"], out, glossary)  # resumed: kept, not redone
    assert not log.exists()
    raw = (out / "r1" / ARTICLE / "segments.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(raw[i])["targets"]["ko"]["review"]["status"] for i in (0, 1)] == [
        "rejected",
        "approved",
    ]
    assert run.read_summary().done[0].resumed
    assert "[REJECTED]" in (out / "r1" / ARTICLE / "ko.draft.txt").read_text("utf-8")
