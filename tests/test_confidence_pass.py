"""The low-confidence decile is the run's, per pair, not a window's: through the real pipeline.

A scored fake engine gives every sentence the score its text names ("marker 40" scores
-4.0; a sentence without a marker -0.05), so which segments the bottom tenth holds is
known in advance. Windows are cut to two articles to make a small run span several.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import pytest

from l10n.models import FlagCode, ReviewStatus
from l10n.mt.engines.base import ModelInfo
from l10n.pipeline import RunOptions, translate_run
from l10n.review.decisions import Decision, save_decisions
from l10n.run.store import Run

MARKER = re.compile(r"marker (\d+)")
# Per article: the markers of its four body sentences (the title has none: -0.05).
ARTICLES = {
    "a1": (50, 10, 11, 12),
    "a2": (40, 13, 14, 15),
    "a3": (20, 5, 6, 7),
    "a4": (9, 1, 2, 3),
}
LATE = {"a5": (90, 80, 70, 60)}
SENTENCES = (
    "The harbour opened at dawn with marker {}.",
    "Fishing boats came back early with marker {}.",
    "Officials counted the crates with marker {}.",
    "The market closed at noon with marker {}.",
)


def score_of(text: str) -> float:
    found = MARKER.search(text)
    return -int(found.group(1)) / 10 if found else -0.05


class ScoredEngine:
    """Marks the target and scores each text as its marker says."""

    name = "scored"
    is_pseudo = False
    carries_placeholders = False
    needs_model = False
    limit: ClassVar[float | None] = None
    options: ClassVar[dict[str, Any]] = {}
    settings: ClassVar[dict[str, Any]] = {}

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        pass

    def can_translate(self, source: str, target: str) -> bool:
        return True

    def models(self, source: str, target: str) -> list[ModelInfo]:
        return [ModelInfo(f"scored-{source}-{target}", "1", None, source, target)]

    def missing_reason(self, pairs: Iterable[tuple[str, str]]) -> str:
        return "scored translates every pair"

    def threshold(self, source: str, target: str) -> float | None:
        return self.limit

    def translate_scored(
        self, texts: list[str], source: str, target: str
    ) -> list[tuple[str, float | None]]:
        return [(f"〔{target}〕{text}", score_of(text)) for text in texts]

    def translate_batch(self, texts: list[str], source: str, target: str) -> list[str]:
        return [text for text, _ in self.translate_scored(texts, source, target)]


@pytest.fixture
def scored(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The engine registered as ``scored``, windows of two articles, and every article write."""
    from l10n.mt.engines import registry

    registry.families()
    registry.register(registry.Family("scored", ScoredEngine, "scores by marker"))
    monkeypatch.setattr("l10n.pipeline.run.WINDOW_ARTICLES", 2)
    writes: list[str] = []
    real = Run.write_article

    def spy(self: Run, translated: Any, *args: Any, **kwargs: Any) -> None:
        writes.append(translated.id)
        real(self, translated, *args, **kwargs)

    monkeypatch.setattr(Run, "write_article", spy)
    yield writes
    registry._families.pop("scored")
    registry.engine_from_spec.cache_clear()
    ScoredEngine.limit = None


def _inputs(folder: Path, articles: Mapping[str, tuple[int, ...]]) -> list[str]:
    folder.mkdir(exist_ok=True)
    paths = []
    for name, markers in articles.items():
        body = "\n\n".join(s.format(m) for s, m in zip(SENTENCES, markers, strict=True))
        path = folder / f"{name}.txt"
        path.write_text(f"Harbour report {name}\n\n{body}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def _run(tmp_path: Path, inputs: list[str], run_id: str = "decile") -> Run:
    summary = translate_run(
        RunOptions(
            inputs=inputs,
            targets=["ja"],
            engine="scored",
            out=str(tmp_path / "out"),
            run_id=run_id,
            memory=str(tmp_path / "tm.sqlite"),
        )
    )
    assert not summary.failed
    return Run.open(tmp_path / "out" / run_id)


def _stored(run: Run) -> dict[tuple[str, int], dict[str, Any]]:
    """(article, segment) → the ``ja`` target of its stored ``segments.jsonl`` row."""
    out = {}
    for article_id in run.article_ids():
        for row in run.read_segment_rows(article_id) or []:
            out[(article_id, row["index"])] = row["targets"]["ja"]
    return out


def _flagged(run: Run) -> dict[tuple[str, int], str]:
    return {
        where: flag["message"]
        for where, target in _stored(run).items()
        for flag in target["flags"]
        if flag["code"] == FlagCode.LOW_CONFIDENCE
    }


def test_the_bottom_decile_is_the_runs_not_the_windows(scored: list[str], tmp_path: Path):
    run = _run(tmp_path, _inputs(tmp_path / "in", ARTICLES))
    stored = _stored(run)
    assert len(stored) == 20 and all(t["score"] == score_of(t["mt"]) for t in stored.values())
    flagged = _flagged(run)
    # The run's 20 scores: its bottom tenth is -5.0 (a1) and -4.0 (a2). The first window
    # (a1, a2) alone would flag only -5.0; the second (a3, a4) would flag -2.0 (a3).
    assert set(flagged) == {("a1", 1), ("a2", 1)}
    assert flagged[("a2", 1)].startswith("score -4.00 is among the least confident tenth of en→ja")
    # Each article was written once by its window; the run pass wrote again only the two
    # whose flags changed: a2 gained one, a3 lost the one its window gave it.
    assert sorted(scored) == ["a1", "a2", "a2", "a3", "a3", "a4"]
    counts = {
        o.id: o.targets["ja"].flag_codes.get("low-confidence", 0) for o in run.read_summary().done
    }
    assert counts == {"a1": 1, "a2": 1, "a3": 0, "a4": 0}
    report = (run.storage.read("a3/report.html")).decode()
    assert "least confident tenth" not in report


def test_a_resumed_run_flags_over_everything_it_holds_and_keeps_reviews(
    scored: list[str], tmp_path: Path
):
    inputs = _inputs(tmp_path / "in", ARTICLES)
    run = _run(tmp_path, inputs)
    approved = Decision(1, "ja", ReviewStatus.APPROVED, "Mina Park", "港は夜明けに開いた。")
    save_decisions(run, "a2", [approved])
    scored.clear()
    # a5's scores (-9, -8, -7, -6) push the run's bottom tenth (3 of 25) below a1 and a2.
    run = _run(tmp_path, inputs + _inputs(tmp_path / "in", LATE))
    assert {o.id for o in run.read_summary().done if o.resumed} == set(ARTICLES)
    assert set(_flagged(run)) == {("a5", 1), ("a5", 2), ("a5", 3)}
    # a5 by its window (five scores: too few for a decile of its own), then by the pass; a2
    # once more by the resume, which takes its approval out of the decision log into its
    # files (docs/review.md, "What is on disk when")
    assert sorted(scored) == ["a1", "a2", "a2", "a5", "a5"]
    kept = run.read_article("a2").translations["ja"][1].review
    assert kept is not None and kept.status == ReviewStatus.APPROVED
    assert kept.text == "港は夜明けに開いた。"
    # Started again with nothing new: the flags stand and nothing is written.
    scored.clear()
    again = _run(tmp_path, [*inputs, str(tmp_path / "in" / "a5.txt")])
    assert set(_flagged(again)) == {("a5", 1), ("a5", 2), ("a5", 3)} and scored == []


def test_the_models_threshold_still_flags_across_windows(scored: list[str], tmp_path: Path):
    ScoredEngine.limit = -1.15
    run = _run(tmp_path, _inputs(tmp_path / "in", ARTICLES))
    flagged = _flagged(run)
    below = {w for w, t in _stored(run).items() if t["score"] < -1.15}
    assert set(flagged) == below | {("a1", 1), ("a2", 1)}
    assert "below the model's threshold -1.15" in flagged[("a1", 4)]
    assert "least confident tenth" not in flagged[("a1", 4)]
    both = flagged[("a1", 1)]
    assert "least confident tenth" in both and "threshold" in both
    assert all(
        m.endswith("the model's own score is a hint, not a verdict") for m in flagged.values()
    )


def test_glossary_reapply_keeps_the_runs_low_confidence_flags(scored: list[str], tmp_path: Path):
    from conftest import GLOSSARY

    from l10n.glossary import load_glossary
    from l10n.review.reapply import reapply_run

    run = _run(tmp_path, _inputs(tmp_path / "in", ARTICLES))
    before = _flagged(run)
    assert set(before) == {("a1", 1), ("a2", 1)}
    reapply_run(run, load_glossary(GLOSSARY))
    assert _flagged(run) == before


def test_an_article_the_pass_rewrites_keeps_its_ninjs_files(scored: list[str], tmp_path: Path):
    """a2 gains its flag from the run pass; as a ninjs item it keeps its source and rendering."""
    inputs = _inputs(tmp_path / "in", {k: v for k, v in ARTICLES.items() if k != "a2"})
    body = "\n\n".join(s.format(m) for s, m in zip(SENTENCES, ARTICLES["a2"], strict=True))
    item = {
        "uri": "urn:example:harbour:a2",
        "type": "text",
        "language": "en",
        "headline": "Harbour report a2",
        "body_text": body,
    }
    (tmp_path / "in" / "a2.json").write_text(json.dumps(item), encoding="utf-8")
    run = _run(tmp_path, [inputs[0], str(tmp_path / "in" / "a2.json"), *inputs[1:]])
    [item_id] = [a for a in run.article_ids() if run.storage.exists(f"{a}/source.ninjs.json")]
    assert scored.count(item_id) == 2  # by its window, then by the run pass
    assert (item_id, 1) in _flagged(run)
    rendered = json.loads(run.storage.read(f"{item_id}/ja.ninjs.json"))
    assert rendered["language"] == "ja" and "marker 40" in json.dumps(rendered, ensure_ascii=False)
