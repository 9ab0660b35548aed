"""Where a run's time goes: milliseconds per article for each stage, and the floor.

The articles of ``bench_scale.py`` (30 unique sentences each) go through the pipeline's own
plain functions, window by window as ``l10n.pipeline`` runs them, with the pseudo engine
(the model costs nothing, so what is left is the pipeline around it), into ja and ko. Each
stage is timed on its own:

- read: the JSONL batch through ``iter_inputs``;
- plan: language detection and segmentation;
- prepare: translation-memory lookups, protected names, chunks;
- translate: the pseudo engine on every chunk (and the memory's record of it);
- correct: glossary enforcement and QA;
- names pass: the run-level names pass's work on the article (done as it is stored), and
  its scores for the low-confidence pass;
- review files: diffs, XLIFF and the report page of each article;
- tmx units, outcome: what the run keeps of each stored article;
- artifact markdown: the per-article Prefect artifact's text (rendered, not published);
- store: ``Run.write_article`` — the durable writes.

The floor is every stage but store and artifact: the same work with no Prefect and no writes.
The plain pipeline (``translate_run`` with its local executor, writes included) is timed
too, as one figure. ``--smoke`` runs 3 articles (seconds) and checks nothing but that it runs.

Example:
    .venv/bin/python benchmarks/bench_profile.py --articles 100
    .venv/bin/python benchmarks/bench_profile.py --smoke
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

T = TypeVar("T")
TARGETS = ["ja", "ko"]
NOT_IN_FLOOR = ("store", "artifact markdown")


class Stages:
    """Seconds spent per stage: wall, and this process's CPU (steadier on a shared machine)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started
            self.cpu[name] += time.process_time() - cpu

    def call(self, name: str, fn: Callable[[], T]) -> T:
        with self.timed(name):
            return fn()


def profile(batch: Path, work: Path, glossary_path: str, window: int) -> tuple[Stages, int]:
    """Every stage of a run over ``batch``, timed; returns the stages and the article count."""
    from l10n.articles.boilerplate import load_rules
    from l10n.articles.read import iter_inputs
    from l10n.flow.artifacts import article_markdown
    from l10n.glossary import load_glossary
    from l10n.models import Article, TranslatedArticle
    from l10n.mt.engines.routes import Routes, RunEngines
    from l10n.mt.translate import assemble
    from l10n.paths import resolve_glossary
    from l10n.pipeline import LocalExecutor
    from l10n.pipeline.run import _context, windows
    from l10n.pipeline.steps import prepare_window
    from l10n.review.confidence_pass import scores_of
    from l10n.review.files import article_review_files
    from l10n.review.interchange import tmx_units
    from l10n.review.name_consistency import names_at_store
    from l10n.run.store import Run
    from l10n.run.summary import RunSummary, outcome_of
    from l10n.text.plan import language_pairs, plan_articles

    from l10n.correct.stage import correct_article  # isort: skip

    stages = Stages()
    glossary = load_glossary(resolve_glossary(glossary_path))
    engines = RunEngines(Routes.parse("pseudo", []), {})
    summary = RunSummary(
        run_id="profile",
        started="",
        targets=TARGETS,
        engines=[],
        glossary={"path": glossary_path, "sha256": glossary.sha256},
    )
    run = Run.create(str(work / "out"), "profile")
    memory = str(work / "tm.sqlite")
    executor = LocalExecutor()
    count = 0
    stream = iter_inputs([str(batch)], load_rules(None))
    while True:
        chunk = stages.call("read", lambda: next(windows(stream, window), None))
        if chunk is None:
            break
        articles = [a for a in chunk if isinstance(a, Article)]
        count += len(articles)
        plans = stages.call("plan", lambda: plan_articles(articles, TARGETS, None))  # noqa: B023
        engines.choose(language_pairs(plans))
        work_ = stages.call(
            "prepare",
            lambda: prepare_window(plans, engines, glossary, memory, "profile"),  # noqa: B023
        )
        answers, failures = stages.call(
            "translate",
            lambda: executor.translate(work_, engines, memory),  # noqa: B023
        )
        if failures:
            raise SystemExit(f"a chunk failed: {failures[0][1]}")
        machine = stages.call("translate", lambda: assemble(work_, answers))  # noqa: B023
        for plan in plans:
            ctx = _context(plan, engines, summary)
            with stages.timed("correct"):
                corrected = correct_article(plan, machine[plan.article.id], glossary)
                translated = TranslatedArticle(plan, corrected, {})
                translated.engines = ctx.engines_for(translated.translations)
            stages.call(
                "names pass",
                lambda: (names_at_store(translated, glossary), scores_of(translated)),  # noqa: B023
            )
            files = stages.call("review files", lambda: article_review_files(translated, "p"))  # noqa: B023
            stages.call("tmx units", lambda: tmx_units(translated))  # noqa: B023
            stages.call("outcome", lambda: outcome_of(translated))  # noqa: B023
            stages.call(
                "artifact markdown",
                lambda: article_markdown(translated, engine="pseudo", pseudo=True),  # noqa: B023
            )
            stages.call("store", lambda: run.write_article(translated, ctx, files))  # noqa: B023
    return stages, count


def plain_run(batch: Path, out: Path, glossary: str) -> float:
    """Wall seconds of ``translate_run`` (local executor, every file written)."""
    from l10n.pipeline import RunOptions, translate_run

    started = time.perf_counter()
    summary = translate_run(
        RunOptions(
            inputs=[str(batch)], engine="pseudo", out=str(out), glossary=glossary, run_id="plain"
        )
    )
    elapsed = time.perf_counter() - started
    if summary.failed or not summary.done:
        raise SystemExit(f"the plain pipeline failed: {summary.totals()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--smoke", action="store_true", help="3 articles; checks only that it runs")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    articles = 3 if args.smoke else args.articles

    from bench_scale import write_batch

    from l10n.paths import DEFAULT_GLOSSARY
    from l10n.pipeline.run import WINDOW_ARTICLES

    with tempfile.TemporaryDirectory(prefix="l10n-profile-") as tmp:
        work = Path(tmp)
        batch = work / "batch.jsonl"
        write_batch(batch, articles)
        profile(batch, work / "warm", DEFAULT_GLOSSARY, WINDOW_ARTICLES)  # imports, caches
        write_batch(batch, articles, first=10_000)  # new sentences: nothing comes from memory
        stages, count = profile(batch, work / "measured", DEFAULT_GLOSSARY, WINDOW_ARTICLES)
        write_batch(batch, articles, first=20_000)
        plain = plain_run(batch, work / "plain", DEFAULT_GLOSSARY)

    per = {name: seconds * 1000 / count for name, seconds in stages.seconds.items()}
    cpu = {name: seconds * 1000 / count for name, seconds in stages.cpu.items()}
    floor = sum(ms for name, ms in per.items() if name not in NOT_IN_FLOOR)
    floor_cpu = sum(ms for name, ms in cpu.items() if name not in NOT_IN_FLOOR)
    print(
        f"{count} articles of 30 sentences into ja and ko, pseudo engine; ms per article "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(f"{'stage':<20} {'wall':>8} {'cpu':>8}")
    for name, ms in sorted(per.items(), key=lambda item: -item[1]):
        marker = "" if name not in NOT_IN_FLOOR else "   (not in the floor)"
        print(f"{name:<20} {ms:8.1f} {cpu[name]:8.1f}{marker}")
    print(f"{'floor':<20} {floor:8.1f} {floor_cpu:8.1f}   (plain functions, no Prefect, no writes)")
    print(f"{'every stage':<20} {sum(per.values()):8.1f} {sum(cpu.values()):8.1f}")
    print(f"{'translate_run':<20} {plain * 1000 / count:8.1f}   (local executor, files written)")
    if args.json:
        figures = {"wall": per, "cpu": cpu, "floor": floor, "floor_cpu": floor_cpu}
        print(json.dumps({**figures, "translate_run": plain * 1000 / count}))
    if args.smoke:
        print("smoke run: figures from 3 articles, no target checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
