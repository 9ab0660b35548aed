"""The ``translate-articles`` flow: the pipeline's table of contents.

Articles stream through in windows: each window is planned, translated (its segments
batched across its articles), corrected and stored before the next one is read, so
memory stays flat however large the batch. Each task is a thin wrapper over a plain
function in ``l10n``; this module only decides what runs, in which order, and how
failures are contained: a bad input, a missing model or a failing model call fails
only the articles it touches.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.futures import as_completed
from prefect.states import Completed, Failed

from flows.artifacts import article_change_lines, publish_run_artifacts
from flows.params import EngineName, PastedArticle, TargetLang, pasted_articles
from l10n.articles.boilerplate import load_rules
from l10n.articles.read import DEFAULT_MAX_INPUT_BYTES, InputError, iter_inputs
from l10n.correct.stage import correct_article
from l10n.glossary import Glossary, load_glossary
from l10n.models import Article, ArticleOutcome, ArticlePlan, MachineTranslation, TranslatedArticle
from l10n.mt.engines.base import Engine, engine_identity
from l10n.mt.engines.select import EngineSpec, engine_from_spec, select_engine, spec_of
from l10n.mt.memory import FILE_NAME, open_memory
from l10n.mt.translate import (
    Chunk,
    TranslationWork,
    articles_hit_by,
    assemble,
    prepare_translation,
    translate_chunk,
    unavailable_pairs,
)
from l10n.paths import DEFAULT_GLOSSARY, resolve_glossary
from l10n.progress import report
from l10n.review.files import article_review_files, spool, write_run_files
from l10n.review.interchange import tmx_units
from l10n.run.ids import check_run_id, new_run_id, now_iso
from l10n.run.storage import check_location, is_remote
from l10n.run.store import Run, RunContext, article_fingerprint
from l10n.run.summary import RunSummary, outcome_of
from l10n.text.plan import language_pairs, plan_articles, segment_pairs

WINDOW_ARTICLES = 40
"""Articles planned, translated and stored together; bounds the flow's memory."""


@dataclass
class Finished:
    """What the flow keeps of a stored article: small, whatever the article's size."""

    outcome: ArticleOutcome
    tmx: bytes
    source_language: str
    changes: list[str] = field(default_factory=list)


@task(cache_policy=NONE)
def load_glossary_task(path: str) -> Glossary:
    return load_glossary(resolve_glossary(path))


@task(cache_policy=NONE)
def plan_window_task(
    articles: list[Article], targets: list[str], source_lang: str | None
) -> list[ArticlePlan]:
    return plan_articles(articles, targets, source_lang)


@task(cache_policy=NONE)
def prepare_translation_task(
    plans: list[ArticlePlan], engine: Engine, glossary: Glossary, memory: str, run_id: str
) -> TranslationWork:
    with open_memory(memory) as tm:
        return prepare_translation(plans, engine, glossary, memory=tm, run_id=run_id)


@task(cache_policy=NONE, retries=1, retry_delay_seconds=2)
def translate_chunk_task(spec: EngineSpec, chunk: Chunk, memory: str) -> dict[str, str]:
    with open_memory(memory) as tm:
        return translate_chunk(engine_from_spec(spec), chunk, tm)


@task(cache_policy=NONE, retries=1, retry_delay_seconds=2)
def finish_article_task(
    plan: ArticlePlan,
    machine: dict[str, list[MachineTranslation]],
    glossary: Glossary,
    run: Run,
    ctx: RunContext,
) -> Finished:
    """Correct one article, render its review files from memory and store it all."""
    started = time.perf_counter()
    translated = TranslatedArticle(plan, correct_article(plan, machine, glossary), {})
    translated.timings = {**plan.timings, "correct": time.perf_counter() - started}
    files = article_review_files(translated, run.run_id, ctx.pseudo)
    run.write_article(translated, ctx, files)
    return Finished(
        outcome_of(translated),
        tmx_units(translated),
        translated.source_language,
        article_change_lines(translated),
    )


def windows(
    items: Iterator[Article | InputError], size: int
) -> Iterator[list[Article | InputError]]:
    window: list[Article | InputError] = []
    for item in items:
        window.append(item)
        if sum(isinstance(i, Article) for i in window) >= size:
            yield window
            window = []
    if window:
        yield window


def translate_chunks(
    work: TranslationWork, spec: EngineSpec, memory: str
) -> tuple[list[tuple[Chunk, dict[str, str]]], list[tuple[Chunk, str]]]:
    """Send every chunk to the task runner; a chunk that fails (after its retry) fails
    only the articles it holds segments of."""
    futures = {translate_chunk_task.submit(spec, chunk, memory): chunk for chunk in work.chunks}
    results: list[tuple[Chunk, dict[str, str]]] = []
    failed: list[tuple[Chunk, str]] = []
    for future in as_completed(list(futures)):
        chunk = futures[future]
        try:
            results.append((chunk, future.result()))
        except Exception as exc:
            failed.append((chunk, f"{type(exc).__name__}: {exc}"))
    return results, failed


def _failure_reason(state: Any) -> str:
    try:
        state.result()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return state.message or state.name


@flow(
    name="translate-articles",
    description=(
        "Translate news articles into Japanese and Korean offline, enforce the name "
        "glossary and store source, raw MT and corrected versions side by side."
    ),
    log_prints=True,
)
def translate_articles(
    inputs: list[str],
    targets: list[TargetLang] = ["ja", "ko"],  # noqa: B006 - Prefect reads defaults for its form
    glossary: str = DEFAULT_GLOSSARY,
    engine: EngineName = "argos",
    out: str = "outputs",
    source_lang: str | None = None,
    run_id: str | None = None,
    memory: str | None = None,
    boilerplate_rules: str | None = None,
    pasted: list[PastedArticle] = [],  # noqa: B006 - Prefect reads defaults for its form
    threads: int = 0,
    allow_private_urls: bool = False,
    max_input_mb: int = DEFAULT_MAX_INPUT_BYTES // 1_000_000,
) -> Any:
    """Read → detect → segment → translate → correct → store, then summarise the run.

    Args:
        inputs: Files, folders (.txt .md .html .htm .jsonl) on the worker, or http(s)
            links to news pages.
        targets: Languages to translate into.
        glossary: Name glossary (YAML) on the worker.
        engine: argos uses installed Argos packages and never falls back; pseudo
            writes pseudo-localized text, not a translation; auto uses argos when
            possible, else pseudo.
        out: Folder on the worker or an fsspec URL (s3://…); each run gets a folder
            named after its run id.
        source_lang: Language code of every article (e.g. en); leave empty to detect.
        run_id: Name of the run; an existing run of that name is resumed.
        memory: Translation memory: a SQLite file or postgresql:// URL; default
            OUT/.l10n-tm.sqlite (for remote output, l10n's data folder on the worker).
        boilerplate_rules: Boilerplate rules file; default the bundled rules.
        pasted: Articles typed or pasted here, translated along with the inputs.
        threads: Threads the model uses in each process; 0 uses every core.
        allow_private_urls: Fetch links to loopback, private and link-local addresses too
            (off: a served deployment must not reach into its own network).
        max_input_mb: Local files larger than this are skipped with a message.
    """
    logger = get_run_logger()
    check_location(out)
    run = Run.create(out, check_run_id(run_id or new_run_id()))
    gloss = load_glossary_task(glossary)
    memory = memory or default_memory(out)
    rules = load_rules(Path(boilerplate_rules) if boilerplate_rules else None)
    taken: set[str] = set()
    stream = iter_inputs(
        inputs,
        rules,
        taken=taken,
        allow_private_urls=allow_private_urls,
        max_bytes=max_input_mb * 1_000_000,
    )
    summary = RunSummary(
        run_id=run.run_id,
        started=now_iso(),
        targets=list(targets),
        engine={"name": engine, "pseudo": engine == "pseudo", "options": {}, "packages": []},
        glossary={"path": str(glossary), "sha256": gloss.sha256},
    )
    chosen: Engine | None = None
    pairs_seen: set[tuple[str, str]] = set()
    change_lines: dict[str, list[str]] = {}
    with run.lock(), spool() as tmx:
        run.clean_stale()
        source = _with_pasted(pasted, taken, stream)
        for window in windows(source, WINDOW_ARTICLES):
            summary.input_errors += [_input_error(e) for e in window if isinstance(e, InputError)]
            articles = [a for a in window if isinstance(a, Article)]
            plans = plan_window_task(articles, list(targets), source_lang)
            if chosen is None:
                choice = select_engine(engine, language_pairs(plans), threads=threads)
                chosen = choice.engine
                assert chosen is not None
                summary.warnings += choice.warnings
                for warning in choice.warnings:
                    logger.warning(warning)
            _run_window(run, plans, chosen, gloss, summary, tmx, memory, change_lines)
            pairs_seen |= language_pairs(plans)
            report("articles", len(summary.outcomes), None)
        if chosen is not None:
            summary.engine = engine_identity(chosen, pairs_seen)
        summary.finished = now_iso()
        run.write_summary(summary)
        write_run_files(run, summary, tmx)
    publish_run_artifacts(summary, run.location, change_lines)
    logger.info("run stored in %s", run.location)
    if summary.failed or summary.input_errors:
        problems = [f"{o.id}: {o.reason}" for o in summary.failed]
        problems += [f"{e['path']}: {e['message']}" for e in summary.input_errors]
        return Failed(
            message=f"{len(problems)} input(s) failed: {'; '.join(problems)}", data=summary
        )
    return Completed(message=f"{len(summary.done)} article(s) done", data=summary)


def default_memory(out: str) -> str:
    """``OUT/.l10n-tm.sqlite``; remote output keeps its memory in l10n's local data folder."""
    if is_remote(out):
        data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return str(Path(data) / "l10n" / "tm.sqlite")
    return str(Path(out) / FILE_NAME)


def _with_pasted(
    pasted: list[PastedArticle], taken: set[str], stream: Iterator[Article | InputError]
) -> Iterator[Article | InputError]:
    yield from stream
    yield from pasted_articles(pasted, taken)


def _input_error(error: InputError) -> dict[str, Any]:
    return {"path": error.path, "line": error.line, "message": error.message}


def _run_window(
    run: Run,
    plans: list[ArticlePlan],
    engine: Engine,
    glossary: Glossary,
    summary: RunSummary,
    tmx: Any,
    memory: str,
    change_lines: dict[str, list[str]],
) -> None:
    """Translate, correct and store one window of planned articles; record every outcome."""
    glossary_ref = summary.glossary
    contexts = {
        p.article.id: RunContext(
            tuple(p.actions), engine_identity(engine, segment_pairs(p)), glossary_ref
        )
        for p in plans
        if not p.skipped
    }
    todo: list[ArticlePlan] = []
    for plan in plans:
        article = plan.article
        if plan.skipped:
            summary.outcomes.append(
                ArticleOutcome(article.id, article.input_path, "skipped", plan.skip_reason)
            )
        elif run.is_complete(article.id, article_fingerprint(plan, contexts[article.id])):
            stored = run.read_article(article.id)
            summary.outcomes.append(outcome_of(stored, resumed=True))
            tmx.add(stored)
        else:
            todo.append(plan)
    failures = unavailable_pairs(todo, engine)
    todo = [p for p in todo if p.article.id not in failures]
    if todo:
        work = prepare_translation_task(todo, engine, glossary, memory, run.run_id)
        translated, failed_chunks = translate_chunks(work, spec_of(engine), memory)
        machine = assemble(work, translated)
        failures.update(articles_hit_by(work, failed_chunks))
        summary.translation["segments_sent_to_engine"] = (
            summary.translation.get("segments_sent_to_engine", 0) + work.segments_to_translate
        )
        summary.translation["segments_from_memory"] = (
            summary.translation.get("segments_from_memory", 0) + work.segments_known
        )
        summary.translation["segments_approved"] = (
            summary.translation.get("segments_approved", 0) + work.approved
        )
        futures = {
            p.article.id: finish_article_task.submit(
                p, machine[p.article.id], glossary, run, contexts[p.article.id]
            )
            for p in todo
            if p.article.id not in failures
        }
    else:
        futures = {}
    for plan in plans:
        article = plan.article
        if article.id in failures:
            summary.outcomes.append(
                ArticleOutcome(article.id, article.input_path, "failed", failures[article.id])
            )
        elif article.id in futures:
            futures[article.id].wait()
            state = futures[article.id].state
            if state.is_completed():
                finished: Finished = state.result()
                summary.outcomes.append(finished.outcome)
                tmx.add_units(finished.source_language, finished.tmx)
                if finished.changes:
                    change_lines[article.id] = finished.changes
            else:
                summary.outcomes.append(
                    ArticleOutcome(article.id, article.input_path, "failed", _failure_reason(state))
                )
