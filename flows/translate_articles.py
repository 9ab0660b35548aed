"""The ``translate-articles`` flow: the pipeline's table of contents.

Each task is a thin wrapper over a plain function in ``l10n``; this module only
decides what runs, in which order, and how failures are contained.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.futures import as_completed
from prefect.states import Completed, Failed

from flows.artifacts import publish_run_artifacts
from flows.params import EngineName, PastedArticle, TargetLang, add_pasted
from l10n.articles.boilerplate import load_rules
from l10n.articles.read import InputBatch, read_inputs
from l10n.correct.stage import correct_article
from l10n.glossary import Glossary, load_glossary
from l10n.mt.engines.base import MissingModelError
from l10n.mt.engines.select import (
    EngineChoice,
    EngineSpec,
    engine_from_spec,
    select_engine,
    spec_of,
)
from l10n.mt.memory import default_location, open_memory
from l10n.mt.translate import (
    Chunk,
    MachineTranslation,
    TranslationWork,
    articles_hit_by,
    assemble,
    prepare_translation,
    translate_chunk,
)
from l10n.paths import DEFAULT_GLOSSARY, resolve_glossary
from l10n.progress import report
from l10n.review.files import write_article_review_files, write_run_review_files
from l10n.run.remote import is_remote, upload_run
from l10n.run.store import (
    RunContext,
    article_fingerprint,
    check_run_id,
    is_article_complete,
    new_run_id,
    write_article,
    write_run_summary,
)
from l10n.run.summary import engine_record, summarise
from l10n.text.plan import ArticlePlan, language_pairs, plan_articles


@task(cache_policy=NONE)
def load_glossary_task(path: str) -> Glossary:
    return load_glossary(resolve_glossary(path))


@task(cache_policy=NONE, retries=2, retry_delay_seconds=[1, 5])
def read_inputs_task(inputs: list[str], rules_path: str | None) -> InputBatch:
    return read_inputs(inputs, load_rules(Path(rules_path) if rules_path else None))


@task(cache_policy=NONE)
def plan_articles_task(
    batch: InputBatch, targets: list[str], source_lang: str | None
) -> list[ArticlePlan]:
    return plan_articles(batch.articles, targets, source_lang)


@task(cache_policy=NONE)
def choose_engine_task(name: str, plans: list[ArticlePlan], threads: int = 0) -> EngineChoice:
    try:
        choice = select_engine(name, language_pairs(plans), threads=threads)
    except MissingModelError as exc:
        get_run_logger().error(str(exc))
        return EngineChoice(None, error=str(exc))
    for warning in choice.warnings:
        get_run_logger().warning(warning)
    return choice


@task(cache_policy=NONE)
def prepare_translation_task(
    plans: list[ArticlePlan], choice: EngineChoice, glossary: Glossary, cache_root: str
) -> TranslationWork:
    with open_memory(cache_root) as memory:
        return prepare_translation(plans, choice.engine, glossary, memory=memory)


@task(cache_policy=NONE, retries=1, retry_delay_seconds=2)
def translate_chunk_task(spec: EngineSpec, chunk: Chunk, cache_root: str) -> dict[str, str]:
    with open_memory(cache_root) as memory:
        return translate_chunk(engine_from_spec(spec), chunk, memory)


@task(cache_policy=NONE, retries=1, retry_delay_seconds=2)
def finish_article_task(
    plan: ArticlePlan,
    machine: dict[str, list[MachineTranslation]],
    glossary: Glossary,
    ctx: RunContext,
    translate_seconds: float | None = None,
) -> Path:
    started = time.perf_counter()
    translations = correct_article(plan, machine, glossary)
    timings = {**plan.timings, "correct": time.perf_counter() - started}
    if translate_seconds is not None:
        timings["translate_run_total"] = translate_seconds
    article_dir = write_article(plan, translations, ctx, timings)
    write_article_review_files(article_dir)
    return article_dir


def translate_chunks(
    work: TranslationWork, spec: EngineSpec, cache_root: str
) -> tuple[list[tuple[Chunk, dict[str, str]]], list[tuple[Chunk, str]]]:
    """Send every chunk to the task runner; report progress as they come back.

    A chunk that fails (after its retry) fails only the articles it holds segments of.
    """
    futures = {translate_chunk_task.submit(spec, chunk, cache_root): chunk for chunk in work.chunks}
    total, done = work.segments_to_translate, 0
    results: list[tuple[Chunk, dict[str, str]]] = []
    failed: list[tuple[Chunk, str]] = []
    report("translate", 0, total)
    for future in as_completed(list(futures)):
        chunk = futures[future]
        try:
            results.append((chunk, future.result()))
        except Exception as exc:
            failed.append((chunk, f"{type(exc).__name__}: {exc}"))
        done += len(chunk.texts)
        report("translate", done, total)
    return results, failed


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
    cache: str | None = None,
    boilerplate_rules: str | None = None,
    pasted: list[PastedArticle] = [],  # noqa: B006 - Prefect reads defaults for its form
    threads: int = 0,
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
        cache: Translation memory: a SQLite file or postgresql:// URL; default
            OUT/.l10n-tm.sqlite.
        boilerplate_rules: Boilerplate rules file; default the bundled rules.
        pasted: Articles typed or pasted here, translated along with the inputs.
        threads: Threads the model uses in each process; 0 uses every core.
    """
    logger = get_run_logger()
    staging = Path(tempfile.mkdtemp(prefix="l10n-run-")) if is_remote(out) else None
    run_dir = (staging or Path(out)) / check_run_id(run_id or new_run_id())
    gloss = load_glossary_task(glossary)
    batch = add_pasted(read_inputs_task(inputs, boilerplate_rules), pasted)
    plans = plan_articles_task(batch, targets, source_lang)
    choice = choose_engine_task(engine, plans, threads)
    ctx = RunContext(
        run_dir=run_dir,
        targets=list(targets),
        engine=engine_record(choice.engine, engine, plans),
        glossary={"path": str(glossary), "sha256": gloss.sha256},
    )
    todo = [
        p
        for p in plans
        if not p.skipped
        and not is_article_complete(run_dir / p.article.id, article_fingerprint(p, ctx))
    ]
    states: dict[str, Any] = {}
    failures: dict[str, str] = {}
    sent = cached = 0
    if choice.engine is None:
        failures = {p.article.id: choice.error or "no engine" for p in todo}
    else:
        cache_root = cache or default_location(staging or out)
        work = prepare_translation_task(todo, choice, gloss, cache_root)
        translate_started = time.perf_counter()
        translated, failed_chunks = translate_chunks(work, spec_of(choice.engine), cache_root)
        mt = assemble(work, translated)
        translate_seconds = time.perf_counter() - translate_started
        failures = articles_hit_by(work, failed_chunks)
        sent = work.segments_to_translate
        cached = sum(len(known) for known in work.known.values())
        futures = {
            p.article.id: finish_article_task.submit(
                p, mt[p.article.id], gloss, ctx, translate_seconds
            )
            for p in todo
            if p.article.id not in failures
        }
        for future in futures.values():
            future.wait()
        states = {article_id: future.state for article_id, future in futures.items()}

    summary = summarise(plans, batch, states, run_dir, choice.warnings, failures)
    summary["translation"] = {"segments_sent_to_engine": sent, "segments_from_cache": cached}
    write_run_summary(ctx, summary)
    write_run_review_files(run_dir)
    location = upload_run(run_dir, out) if staging else str(run_dir.resolve())
    publish_run_artifacts(run_dir, location)
    if staging:
        shutil.rmtree(staging)
    logger.info("run stored in %s", location)
    failed = summary["articles"]["failed"]
    if failed:
        reasons = "; ".join(f"{f['id']}: {f['reason']}" for f in failed)
        return Failed(message=f"{len(failed)} article(s) failed: {reasons}", data=summary)
    return Completed(message=f"{len(summary['articles']['done'])} article(s) done", data=summary)
