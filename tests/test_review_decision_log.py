"""The decision log: a review decision appends its segment, readers replay it, full writes
take it in — and the publish rule holds at every step (docs/review.md, "What is on disk when")."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from l10n.review.decisions import Decision, StaleDecision, save_decisions, version_of
from l10n.review.files import rebuild_review_files
from l10n.run import decision_log
from l10n.run.store import Run

FIXTURE = Path(__file__).parent / "fixtures" / "run_sample"
ARTICLE = "nara-summit"
SEGMENTS = 5
EDIT = "편집한 문장이 여기에 있다."


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    shutil.copytree(FIXTURE, folder)
    return folder


def log_lines(run_dir: Path) -> list[str]:
    path = run_dir / ARTICLE / "decisions.jsonl"
    return path.read_text("utf-8").splitlines() if path.exists() else []


def raw_rows(run_dir: Path) -> list[dict]:
    """``segments.jsonl`` alone, without the log."""
    text = (run_dir / ARTICLE / "segments.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines()]


def status(run_dir: Path, segment: int, lang: str = "ko") -> str | None:
    """As another process reads it: a new Run, the article's files and its log."""
    review = Run.open(run_dir).read_article(ARTICLE).translations[lang][segment].review
    return None if review is None else str(review.status)


def decide(run: Run, segment: int, what: str, text: str | None = None) -> None:
    save_decisions(run, ARTICLE, [Decision(segment, "ko", what, "Mina", text=text)])


def test_a_decision_in_a_draft_language_is_one_log_line_and_every_reader_sees_it(
    run_dir: Path,
) -> None:
    run = Run.open(run_dir)
    # The fixture was stored before decision logs: its first save writes it whole (and the
    # manifest's generation the log's lines name).
    decide(run, 0, "rejected")
    assert log_lines(run_dir) == [] and (run_dir / ARTICLE / "ko.draft.txt").exists()
    segments = (run_dir / ARTICLE / "segments.jsonl").read_bytes()
    decide(run, 1, "approved", EDIT)
    assert len(log_lines(run_dir)) == 1
    assert (run_dir / ARTICLE / "segments.jsonl").read_bytes() == segments  # not rewritten
    assert status(run_dir, 1) == "approved" and status(run_dir, 0) == "rejected"
    rows = Run.open(run_dir).read_segment_rows(ARTICLE) or []
    assert rows[1]["targets"]["ko"]["review"]["text"] == EDIT
    # counts: the manifest as read, run.json and the draft state
    reviews = Run.open(run_dir).read_manifest(ARTICLE)["targets"]["ko"]["reviews"]
    assert (reviews["approved"], reviews["rejected"]) == (1, 1)
    [outcome] = [o for o in Run.open(run_dir).read_summary().done if o.id == ARTICLE]
    counts = outcome.targets["ko"].reviews
    assert counts is not None and (counts.approved, counts.rejected) == (1, 1)
    assert not (run_dir / ARTICLE / "ko.reviewed.txt").exists()


def test_l10n_report_takes_the_log_into_every_file(run_dir: Path) -> None:
    run = Run.open(run_dir)
    decide(run, 0, "rejected")
    decide(run, 1, "approved", EDIT)
    assert EDIT not in (run_dir / ARTICLE / "ko.xlf").read_text("utf-8")  # as last written
    rebuild_review_files(Run.open(run_dir))
    assert log_lines(run_dir) == []
    raw = raw_rows(run_dir)
    assert raw[1]["targets"]["ko"]["review"]["text"] == EDIT
    for name in ("ko.xlf", "ko.draft.txt", "report.html"):
        assert EDIT in (run_dir / ARTICLE / name).read_text("utf-8"), name
    assert status(run_dir, 1) == "approved"
    manifest = json.loads((run_dir / ARTICLE / "manifest.json").read_text("utf-8"))
    assert Run.open(run_dir).is_complete(ARTICLE, manifest["fingerprint"])


def test_the_publish_rule_holds_across_the_log(run_dir: Path) -> None:
    run = Run.open(run_dir)
    reviewed = run_dir / ARTICLE / "ko.reviewed.txt"

    def all_approved() -> bool:
        return all(status(run_dir, i) == "approved" for i in range(SEGMENTS))

    decide(run, 0, "rejected")
    for segment in range(1, SEGMENTS):
        decide(run, segment, "approved")
        assert not reviewed.exists() and not all_approved()
    assert len(log_lines(run_dir)) == SEGMENTS - 1
    decide(run, 0, "approved", EDIT)  # the last approval: the text to publish is written
    assert all_approved() and reviewed.exists() and log_lines(run_dir) == []
    assert EDIT in reviewed.read_text("utf-8")
    decide(run, 2, "rejected")  # and removed again at once
    assert not reviewed.exists() and status(run_dir, 2) == "rejected"
    decide(run, 3, "rejected")
    assert not reviewed.exists() and len(log_lines(run_dir)) == 1


def test_a_long_log_is_taken_into_the_article(
    run_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(decision_log, "COMPACT_AFTER", 2)  # the article's size decides: 5
    run = Run.open(run_dir)
    decide(run, 0, "rejected")
    for n in range(SEGMENTS):
        decide(run, 1, ("approved", "rejected")[n % 2])
    assert len(log_lines(run_dir)) == SEGMENTS
    decide(run, 1, "approved")
    assert log_lines(run_dir) == []
    raw = raw_rows(run_dir)
    assert raw[1]["targets"]["ko"]["review"]["status"] == "approved"


def test_a_torn_last_line_is_skipped_reported_and_cut_off_by_the_next_save(
    run_dir: Path,
) -> None:
    run = Run.open(run_dir)
    decide(run, 0, "rejected")
    decide(run, 1, "approved")
    with (run_dir / ARTICLE / "decisions.jsonl").open("ab") as log:
        log.write(b'{"generation": "x", "segment": 2, "row": {"ind')  # kill -9 mid-append
    reader = Run.open(run_dir)
    article = reader.read_article(ARTICLE)  # readable
    assert article.translations["ko"][1].review is not None
    assert article.translations["ko"][2].review is None
    [problem] = reader.log_problems
    assert "decisions.jsonl:2" in problem and "interrupted" in problem
    decide(Run.open(run_dir), 2, "approved")
    lines = log_lines(run_dir)
    assert len(lines) == 2 and all(json.loads(line)["segment"] in (1, 2) for line in lines)
    again = Run.open(run_dir)
    assert [status(run_dir, i) for i in range(3)] == ["rejected", "approved", "approved"]
    again.read_article(ARTICLE)
    assert again.log_problems == []


_APPEND = """
import os, signal, sys
import l10n.run.decision_log as log
from l10n.review.decisions import Decision, save_decisions
from l10n.run.store import Run

real = os.write
def write(fd, data):
    real(fd, bytes(data)[: len(data) // 2])
    if sys.argv[2] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise OSError(28, "No space left on device")
log.os.write = write
save_decisions(Run.open(sys.argv[1]), "nara-summit", [Decision(2, "ko", "approved", "Mina")])
"""


@pytest.mark.parametrize("how", ["kill", "full"])
def test_a_save_killed_or_failing_mid_append_loses_only_that_decision(
    run_dir: Path, tmp_path: Path, how: str
) -> None:
    run = Run.open(run_dir)
    decide(run, 0, "rejected")
    decide(run, 1, "approved")
    script = tmp_path / "append.py"
    script.write_text(_APPEND, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run(
        [sys.executable, str(script), str(run_dir), how],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if how == "kill":
        assert done.returncode == -signal.SIGKILL, done.stderr
    else:  # the save fails with the disk's error and leaves no half line behind
        assert done.returncode != 0 and "No space left" in done.stderr
        assert (run_dir / ARTICLE / "decisions.jsonl").read_bytes().endswith(b"\n")
    assert [status(run_dir, i) for i in range(3)] == ["rejected", "approved", None]
    decide(Run.open(run_dir), 2, "approved")  # the next save repairs it
    assert [status(run_dir, i) for i in range(3)] == ["rejected", "approved", "approved"]
    assert all(json.loads(line) for line in log_lines(run_dir))


def test_a_decision_another_process_logged_makes_a_later_write_stale(run_dir: Path) -> None:
    run = Run.open(run_dir)
    decide(run, 0, "rejected")
    decide(run, 1, "approved")  # this process keeps the article parsed between saves
    loaded = version_of(run.read_article(ARTICLE).translations["ko"][2])
    other = (
        "import sys\nfrom l10n.review.decisions import Decision, save_decisions\n"
        "from l10n.run.store import Run\n"
        "save_decisions(Run.open(sys.argv[1]), 'nara-summit', "
        "[Decision(2, 'ko', 'rejected', 'Jun')])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    subprocess.run([sys.executable, "-c", other, str(run_dir)], env=env, check=True)
    with pytest.raises(StaleDecision) as stale:
        save_decisions(run, ARTICLE, [Decision(2, "ko", "approved", "Mina", base=loaded)])
    assert stale.value.by == "Jun"
    assert status(run_dir, 2) == "rejected"
