"""A whole run as plain functions: read → plan → translate → correct → store, window by window.

Articles stream through in windows: each window is planned, translated (its segments
batched across its articles), corrected and stored before the next one is read, so memory
stays flat however large the batch. A run started again with the same id keeps the
articles already stored with the same work and redoes the others. A bad input, a missing
model or a failing model call fails only the articles it touches; every outcome is
recorded in ``run.json``. Nothing here knows about Prefect: :mod:`l10n.flow.translate`
runs the same steps as tasks through its own :class:`~l10n.pipeline.steps.Executor`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from l10n.articles.boilerplate import load_rules
from l10n.articles.read import InputError, article_from_text, iter_inputs, unique_id
from l10n.glossary import Glossary, load_glossary
from l10n.models import (
    Article,
    ArticleOutcome,
    ArticlePlan,
    Status,
    TargetEngine,
    TranslatedArticle,
)
from l10n.mt.confidence import engine_thresholds, mark_low_confidence
from l10n.mt.engines.base import EngineIdentity, engine_identity
from l10n.mt.engines.provided import ProvidedEngine
from l10n.mt.engines.routes import RunEngines
from l10n.mt.memory import tm_location
from l10n.mt.translate import articles_hit_by, assemble, unavailable_pairs
from l10n.names.consistency import Occurrence
from l10n.paths import resolve_glossary
from l10n.pipeline.options import PastedText, RunOptions
from l10n.pipeline.steps import Executor, Finished, Finishing, FinishJob, LocalExecutor
from l10n.progress import report
from l10n.review.confidence_pass import ArticleScores, mark_run_low_confidence
from l10n.review.files import compact, spool, write_run_files
from l10n.review.name_consistency import check_run_names
from l10n.run.ids import check_run_id, new_run_id, now_iso
from l10n.run.storage import check_location
from l10n.run.store import Run, RunContext, article_fingerprint
from l10n.run.summary import RunSummary, outcome_of
from l10n.text.plan import language_pairs, segment_pairs

WINDOW_ARTICLES = 40
"""Articles planned, translated and stored together; bounds a run's memory."""
MAX_IDS_IN_WARNING = 5


def open_run(options: RunOptions) -> Run:
    """The run folder ``options`` name: ``OUT/<run-id>`` (a new id when none is given)."""
    check_location(options.out)
    return Run.create(options.out, check_run_id(options.run_id or new_run_id()))


def previous_ids(run: Run) -> dict[str, list[str]]:
    """Per input path, the ids a resumed run gave its articles (stable across resumes)."""
    return run.stored_inputs()


def translate_run(
    options: RunOptions, executor: Executor | None = None, *, run: Run | None = None
) -> RunSummary:
    """Run the pipeline over ``options`` and return what became of every input.

    The run's files go to ``run`` (default: :func:`open_run`); ``run.json`` and the run's
    report are written last. A setting that cannot work (an unknown engine, a missing GPU, a
    glossary that does not load, a run folder that can't be written) raises ``L10nError``
    before anything is translated.
    """
    executor = executor or LocalExecutor()
    run = run or open_run(options)
    summary = RunSummary(
        run_id=run.run_id,
        started=now_iso(),
        targets=list(options.targets),
        engines=[EngineIdentity(options.engine, pseudo=options.engine == "pseudo")],
        glossary={"path": str(options.glossary)},
    )
    if not options.given:
        summary.finished = now_iso()
        return summary
    glossary = load_glossary(resolve_glossary(options.glossary))
    summary.glossary["sha256"] = glossary.sha256
    memory = tm_location(options.out, options.memory)
    engines = RunEngines(options.engine_routes(), options.engine_settings())
    rules = load_rules(Path(options.boilerplate_rules) if options.boilerplate_rules else None)
    taken: set[str] = set()
    stream = iter_inputs(
        options.inputs,
        rules,
        taken=taken,
        allow_private_urls=options.allow_private_urls,
        max_bytes=options.max_input_mb * 1_000_000,
        reserved=previous_ids(run),
    )
    partly = PartlyProvided()
    with run.lock(), spool() as tmx:
        run.clean_stale()
        inputs = itertools.chain(stream, pasted_articles(options.pasted, taken))
        finishing: WindowResults | None = None
        passes = PassInputs()
        for window in windows(inputs, WINDOW_ARTICLES):
            summary.input_errors += [_input_error(e) for e in window if isinstance(e, InputError)]
            articles = [a for a in window if isinstance(a, Article)]
            plans = executor.plan(articles, list(options.targets), options.source_lang)
            for plan in plans:
                if _partly_provided(plan):
                    partly.add(plan.article.id)
            engines.choose(language_pairs([p for p in plans if not p.skipped and not p.provided]))
            # The previous window is recorded once this one is being finished: an executor
            # with worker processes stores one window while the next is planned and translated.
            started = run_window(executor, run, plans, engines, glossary, summary, memory)
            if finishing is not None:
                finishing.record(summary, tmx, passes)
                report("articles", len(summary.outcomes), None)
            finishing = started
        if finishing is not None:
            finishing.record(summary, tmx, passes)
            report("articles", len(summary.outcomes), None)
        # Windows flag their own bottom decile; the run's is known only now.
        mark_run_low_confidence(
            run, summary.outcomes, engine_thresholds(engines), known=passes.scores
        )
        check_run_names(run, glossary, summary.outcomes, tmx, known=passes.names)
        summary.warnings += engines.warnings
        used = engines.identities()
        if used:
            summary.engines = used
        elif any(o.engine == ProvidedEngine.name for o in summary.done):
            summary.engines = [engine_identity(ProvidedEngine(), [])]
        extra = partly.warning(summary.engine_name)
        if extra:
            summary.warnings.append(extra)
        summary.finished = now_iso()
        run.write_summary(summary)
        write_run_files(run, summary, tmx)
    return summary


def run_window(
    executor: Executor,
    run: Run,
    plans: list[ArticlePlan],
    engines: RunEngines,
    glossary: Glossary,
    summary: RunSummary,
    memory: str,
) -> WindowResults:
    """Translate one window of planned articles and start correcting and storing them; the
    outcomes are recorded by :meth:`WindowResults.record`, in the window's order.

    An article already stored with the same work is kept (resumed); one whose language
    pairs have no model, or whose segments were in a chunk that failed, fails alone.
    """
    contexts = {p.article.id: _context(p, engines, summary) for p in plans if not p.skipped}
    window = WindowResults(plans)
    todo: list[ArticlePlan] = []
    for plan in plans:
        article = plan.article
        if not plan.skipped and run.is_complete(
            article.id, article_fingerprint(plan, contexts[article.id])
        ):
            # a resume takes in the review decisions waiting in the article's log
            stored = compact(run, article.id) or run.read_article(article.id)
            outcome = outcome_of(stored, resumed=True)
            outcome.engine = contexts[article.id].engine_name
            window.resumed[article.id] = (outcome, stored)
        elif not plan.skipped:
            todo.append(plan)
    window.failures = unavailable_pairs(todo, engines)
    todo = [p for p in todo if p.article.id not in window.failures]
    if todo:
        work = executor.prepare(todo, engines, glossary, memory, run.run_id)
        answers, failed_chunks = executor.translate(work, engines, memory)
        machine = assemble(work, answers)
        for p in todo:  # inline markup's translations go with the stored ninjs source
            if p.article.ninjs is not None and p.article.id in work.spans:
                p.article.ninjs["inline"] = work.spans[p.article.id]
        mark_low_confidence(todo, machine, engines)
        window.failures.update(articles_hit_by(work, failed_chunks))
        _count(summary, work, todo)
        window.jobs = [
            FinishJob(p, machine[p.article.id], contexts[p.article.id])
            for p in todo
            if p.article.id not in window.failures
        ]
        window.finishing = executor.finish(window.jobs, glossary, run)
    return window


@dataclass
class WindowResults:
    """A window's articles: resumed, failed before finishing, or being finished."""

    plans: list[ArticlePlan]
    resumed: dict[str, tuple[ArticleOutcome, TranslatedArticle]] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    jobs: list[FinishJob] = field(default_factory=list)
    finishing: Finishing | None = None

    def record(self, summary: RunSummary, tmx: Any, passes: PassInputs) -> None:
        """Every article's outcome into ``summary`` (waiting for the finishing), the stored
        ones' units into the run's TMX, what the run-level passes need of them to
        ``passes``."""
        results: dict[str, Finished] = {}
        if self.finishing is not None:
            finished = self.finishing.results()
            results = {job.plan.article.id: f for job, f in zip(self.jobs, finished, strict=True)}
        for plan in self.plans:
            article = plan.article
            if plan.skipped:
                summary.outcomes.append(
                    ArticleOutcome(article.id, article.input_path, Status.SKIPPED, plan.skip_reason)
                )
            elif article.id in self.resumed:
                outcome, stored = self.resumed[article.id]
                summary.outcomes.append(outcome)
                tmx.add(stored)
        for plan in self.plans:
            article = plan.article
            if article.id in self.failures:
                summary.outcomes.append(
                    ArticleOutcome(
                        article.id, article.input_path, Status.FAILED, self.failures[article.id]
                    )
                )
            elif article.id in results:
                result = results[article.id]
                summary.outcomes.append(result.outcome)
                if result.outcome.status == Status.DONE:
                    tmx.add_units(result.source_language, result.tmx, article.id)
                    passes.add(article.id, result)


@dataclass
class PassInputs:
    """What the run-level passes take of the articles this run stored (see :class:`Finished`)."""

    names: dict[str, list[Occurrence]] = field(default_factory=dict)
    scores: dict[str, ArticleScores] = field(default_factory=dict)

    def add(self, article_id: str, result: Finished) -> None:
        if result.names is not None:
            self.names[article_id] = result.names
        if result.scores is not None:
            self.scores[article_id] = result.scores


def _count(summary: RunSummary, work: Any, todo: list[ArticlePlan]) -> None:
    counts = summary.translation
    for key, value in (
        ("segments_sent_to_engine", work.segments_to_translate),
        ("segments_from_memory", work.segments_known),
        ("segments_approved", work.approved),
        ("segments_provided", sum(len(p.segments) * len(p.actions) for p in todo if p.provided)),
    ):
        if value or key != "segments_provided":
            counts[key] = counts.get(key, 0) + value


def _context(plan: ArticlePlan, engines: RunEngines, summary: RunSummary) -> RunContext:
    """What an article is stored with: its own translations' engine, or its pairs' engines,
    and per target language the engine that translated it."""
    targets = tuple(plan.actions)
    if plan.provided:
        provided = engine_identity(ProvidedEngine(plan.article), [])
        return RunContext(targets, (provided,), summary.glossary)
    pairs = segment_pairs(plan)
    identities = tuple(engines.identities(pairs)) or (engine_identity(ProvidedEngine(), []),)
    per_target: dict[str, TargetEngine] = {}
    for lang in targets:
        used = [engines.for_pair(s, t) for s, t in sorted(pairs) if t == lang]
        names = list(dict.fromkeys(e.name for e in used))
        if names:
            per_target[lang] = TargetEngine("+".join(names), any(e.is_pseudo for e in used))
    return RunContext(targets, identities, summary.glossary, per_target)


def windows(
    items: Iterable[Article | InputError], size: int
) -> Iterator[list[Article | InputError]]:
    """Consecutive slices holding ``size`` articles each (input errors ride along)."""
    window: list[Article | InputError] = []
    for item in items:
        window.append(item)
        if sum(isinstance(i, Article) for i in window) >= size:
            yield window
            window = []
    if window:
        yield window


def pasted_articles(pasted: Iterable[PastedText], taken: set[str]) -> list[Article]:
    """Articles from pasted texts; ids get the same ``-2``, ``-3`` suffixes as repeated file
    names, so a pasted article can never overwrite another article's folder."""
    articles = []
    for item in pasted:
        article = article_from_text(item.title, item.body)
        article.id = unique_id(article.id, taken)
        articles.append(article)
    return articles


@dataclass
class PartlyProvided:
    """Articles that brought translations for some targets only (an engine did them all)."""

    count: int = 0
    ids: list[str] = field(default_factory=list)

    def add(self, article_id: str) -> None:
        self.count += 1
        if len(self.ids) < MAX_IDS_IN_WARNING:
            self.ids.append(article_id)

    def warning(self, engine: str) -> str | None:
        if not self.count:
            return None
        more = f" and {self.count - len(self.ids)} more" if self.count > len(self.ids) else ""
        return (
            f"{self.count} article(s) brought translations for some target languages or "
            f"segments only ({', '.join(self.ids)}{more}): the {engine} engine translated "
            "them instead — give every target language a translation of every paragraph "
            "to use your own"
        )


def _partly_provided(plan: ArticlePlan) -> bool:
    units = plan.article.units
    return not plan.skipped and not plan.provided and any(u.translations for u in units)


def _input_error(error: InputError) -> dict[str, Any]:
    return {"path": error.path, "line": error.line, "message": error.message}
