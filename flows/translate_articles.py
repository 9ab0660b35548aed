"""The ``translate-articles`` flow: the pipeline's table of contents.

Articles stream through in windows: each window is planned, translated (its segments
batched across its articles), corrected and stored before the next one is read, so
memory stays flat however large the batch. Each task is a thin wrapper over a plain
function in ``l10n``; this module only decides what runs, in which order, and how
failures are contained: a bad input, a missing model or a failing model call fails
only the articles it touches.

The engine is chosen per article: one whose input brought a translation of every segment
uses those (the ``provided`` engine, no model needed); the others share the run's engine,
built when the first of them arrives. Each Prefect run is named after its l10n run, shows
each article as an artifact when it is stored, and ends with one state that says why it
failed, if it did (``flows.outcome``).
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
from prefect.context import FlowRunContext
from prefect.futures import as_completed

from flows.artifacts import publish_article, publish_run_artifacts, review_app_url
from flows.outcome import RunFailed, final_state, quiet_reported_failures, stopped, ui_logger
from flows.params import (
    Beam,
    ComputeType,
    Device,
    EngineOption,
    GlossaryFile,
    Inputs,
    MaxInputMb,
    Memory,
    OutFolder,
    Pasted,
    PastedArticle,
    PrivateUrls,
    RulesFile,
    RunName,
    SourceLang,
    Targets,
    Threads,
    blank_to_none,
    pasted_articles,
)
from l10n.articles.boilerplate import load_rules
from l10n.articles.read import DEFAULT_MAX_INPUT_BYTES, InputError, iter_inputs
from l10n.correct.stage import correct_article
from l10n.errors import L10nError
from l10n.glossary import Glossary, load_glossary
from l10n.models import Article, ArticleOutcome, ArticlePlan, MachineTranslation, TranslatedArticle
from l10n.mt.engines.argos import DEFAULT_BEAM_SIZE
from l10n.mt.engines.base import Engine, engine_identity
from l10n.mt.engines.provided import ProvidedEngine
from l10n.mt.engines.select import (
    EngineSpec,
    engine_from_spec,
    select_engine,
    spec_of,
)
from l10n.mt.memory import FILE_NAME, open_memory, tm_location
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
MAX_IDS_IN_WARNING = 5

__all__ = ["RunFailed", "translate_articles"]


@dataclass
class Finished:
    """What the flow keeps of a stored article: small, whatever the article's size."""

    outcome: ArticleOutcome
    tmx: bytes
    source_language: str


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
    """Correct one article, store it with its review files and show it in the UI.

    A problem l10n can name (the article's folder can't be written…) fails the article with
    that message; anything else fails the task, which Prefect retries once.
    """
    started = time.perf_counter()
    translated = TranslatedArticle(plan, correct_article(plan, machine, glossary), {})
    translated.timings = {**plan.timings, "correct": time.perf_counter() - started}
    files = article_review_files(translated, run.run_id, ctx.pseudo)
    try:
        run.write_article(translated, ctx, files)
    except L10nError as exc:
        article = plan.article
        return Finished(ArticleOutcome(article.id, article.input_path, "failed", str(exc)), b"", "")
    engine = str(ctx.engine.get("name", "?"))
    try:
        publish_article(translated, engine=engine, pseudo=ctx.pseudo)
    except Exception as exc:  # the article is stored; a UI hiccup must not fail it
        get_run_logger().warning("no artifact for %s: %s", plan.article.id, exc)
    outcome = outcome_of(translated)
    outcome.engine = engine
    return Finished(outcome, tmx_units(translated), translated.source_language)


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


def run_name() -> str:
    """The flow run's name in Prefect: the l10n run id (a new one when the form left it empty)."""
    try:
        from prefect.runtime import flow_run

        given = str(flow_run.parameters.get("run_id") or "").strip()
    except Exception:  # a name must never stop the run
        given = ""
    return given or new_run_id()


def _run_id_of_this_run(given: str | None) -> str:
    if given:
        return check_run_id(given)
    context = FlowRunContext.get()
    name = context.flow_run.name if context and context.flow_run else ""
    try:
        return check_run_id(name)
    except L10nError:
        return new_run_id()


@flow(
    name="translate-articles",
    description=(
        "Translate news articles into Japanese and Korean offline, enforce the name "
        "glossary and store source, raw MT and corrected versions side by side."
    ),
    flow_run_name=run_name,
    log_prints=True,
)
def translate_articles(
    pasted: Pasted = [],  # noqa: B006 - Prefect reads defaults for its form
    inputs: Inputs = [],  # noqa: B006
    targets: Targets = ["ja", "ko"],  # noqa: B006
    engine: EngineOption = "argos",
    out: OutFolder = "outputs",
    glossary: GlossaryFile = DEFAULT_GLOSSARY,
    source_lang: SourceLang = "",
    run_id: RunName = "",
    memory: Memory = "",
    boilerplate_rules: RulesFile = "",
    threads: Threads = 0,
    beam: Beam = DEFAULT_BEAM_SIZE,
    compute_type: ComputeType = "",
    device: Device = "cpu",
    allow_private_urls: PrivateUrls = False,
    max_input_mb: MaxInputMb = DEFAULT_MAX_INPUT_BYTES // 1_000_000,
) -> Any:
    """Read → detect → segment → translate → correct → store, then summarise the run.

    Args:
        pasted: Paste an article here: its headline and its text, with a blank line
            between paragraphs. Add as many as you like; they are translated together
            with the files below.
        inputs: Files or folders on this machine (the one running `l10n serve`): .txt,
            .md, .html, .jsonl, or .xlf/.xliff with translations to check; or http(s)
            links to news pages. Leave empty when you paste the articles above.
        targets: The languages to translate into: Japanese (ja), Korean (ko) or both.
        engine: argos translates with the models installed on this machine (an article
            whose model is missing fails and says how to install it); pseudo writes a
            test rendering, not a translation; auto uses argos where it can and pseudo
            otherwise, with a warning. Articles that bring their own translations use
            those whatever is chosen here.
        out: The folder on this machine where results are saved (or an s3:// address);
            each run gets a folder named after the run.
        glossary: The name glossary on this machine: how leaders' and places' names must
            be written in each language.
        source_lang: The language the articles are written in, as a code such as en.
            Leave empty to detect each article's language.
        run_id: Leave empty to start a new run (named after the date and time). Give
            the name of an earlier run to finish it: its finished articles are kept.
        memory: Where translations are remembered for reuse. Leave empty to use the
            one in the results folder; or give a file on this machine or a postgresql://
            address.
        boilerplate_rules: Rules that strip site furniture (menus, "read more" lines)
            from scraped pages. Leave empty to use the bundled rules.
        threads: Processor threads the translation model uses; 0 uses every core of
            this machine.
        beam: How many candidate translations the model keeps while decoding: 4, as
            Argos Translate's published quality figures were made with; lower is faster.
        compute_type: The model's numeric precision, e.g. int8 (the default on a
            processor) or int8_float16 (the default on a GPU). Leave empty for the default.
        device: Where the model runs: cpu, cuda (an NVIDIA GPU; needs CUDA 12's cuBLAS)
            or auto (the GPU when there is one).
        allow_private_urls: Also fetch links to this machine and its local network.
            Keep off on a shared server.
        max_input_mb: Files larger than this many megabytes are skipped with a message.
    """
    quiet_reported_failures()
    try:
        return _translate(
            pasted=pasted,
            inputs=inputs,
            targets=list(targets),
            engine=engine,
            out=out,
            glossary=glossary,
            source_lang=blank_to_none(source_lang),
            run_id=blank_to_none(run_id),
            memory=blank_to_none(memory),
            boilerplate_rules=blank_to_none(boilerplate_rules),
            threads=threads,
            settings={
                "beam_size": beam,
                "compute_type": blank_to_none(compute_type),
                "device": device,
            },
            allow_private_urls=allow_private_urls,
            max_input_mb=max_input_mb,
        )
    except L10nError as exc:  # a setting or the run folder: one message, no traceback
        return stopped(exc)


def _translate(
    *,
    pasted: list[PastedArticle],
    inputs: list[str],
    targets: list[str],
    engine: str,
    out: str,
    glossary: str,
    source_lang: str | None,
    run_id: str | None,
    memory: str | None,
    boilerplate_rules: str | None,
    threads: int,
    settings: dict[str, Any],
    allow_private_urls: bool,
    max_input_mb: int,
) -> Any:
    logger = get_run_logger()
    check_location(out)
    run = Run.create(out, _run_id_of_this_run(run_id))
    summary = RunSummary(
        run_id=run.run_id,
        started=now_iso(),
        targets=targets,
        engine={"name": engine, "pseudo": engine == "pseudo", "options": {}, "packages": []},
        glossary={"path": str(glossary)},
    )
    if not inputs and not pasted:
        summary.finished = now_iso()
        return final_state(summary, given=False)
    # Not a task: a glossary that does not load stops the run with its own message only.
    gloss = load_glossary(resolve_glossary(glossary))
    summary.glossary["sha256"] = gloss.sha256
    memory = tm_location(out, memory)
    rules = load_rules(Path(boilerplate_rules) if boilerplate_rules else None)
    taken: set[str] = set()
    stream = iter_inputs(
        inputs,
        rules,
        taken=taken,
        allow_private_urls=allow_private_urls,
        max_bytes=max_input_mb * 1_000_000,
    )
    chosen: Engine | None = None
    pairs_seen: set[tuple[str, str]] = set()
    partly = PartlyProvided()
    with run.lock(), spool() as tmx:
        run.clean_stale()
        source = _with_pasted(pasted, taken, stream)
        for window in windows(source, WINDOW_ARTICLES):
            summary.input_errors += [_input_error(e) for e in window if isinstance(e, InputError)]
            articles = [a for a in window if isinstance(a, Article)]
            plans = plan_window_task(articles, targets, source_lang)
            for plan in plans:
                if _partly_provided(plan):
                    partly.add(plan.article.id)
            needs_engine = [p for p in plans if not p.skipped and not p.provided]
            if chosen is None and needs_engine:
                choice = select_engine(
                    engine, language_pairs(needs_engine), threads=threads, settings=settings
                )
                chosen = choice.engine
                assert chosen is not None
                summary.warnings += choice.warnings
            _run_window(run, plans, chosen, gloss, summary, tmx, memory)
            pairs_seen |= language_pairs(plans)
            report("articles", len(summary.outcomes), None)
        if chosen is not None:
            summary.engine = engine_identity(chosen, pairs_seen)
        elif any(o.engine == ProvidedEngine.name for o in summary.done):
            summary.engine = engine_identity(ProvidedEngine(), [])
        extra = partly.warning(str(summary.engine.get("name")))
        if extra:
            summary.warnings.append(extra)
        summary.finished = now_iso()
        run.write_summary(summary)
        write_run_files(run, summary, tmx)
    for warning in summary.warnings:
        ui_logger().warning(warning)
    publish_run_artifacts(summary, run.location, review_app_url(run.run_id))
    logger.info("run stored in %s", run.location)
    return final_state(summary)


# TODO(issue 16): unused since l10n.mt.memory.tm_location decides; delete when this file moves.
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


def _partly_provided(plan: ArticlePlan) -> bool:
    units = plan.article.units
    return not plan.skipped and not plan.provided and any(u.translations for u in units)


def _input_error(error: InputError) -> dict[str, Any]:
    return {"path": error.path, "line": error.line, "message": error.message}


def _run_window(
    run: Run,
    plans: list[ArticlePlan],
    engine: Engine | None,
    glossary: Glossary,
    summary: RunSummary,
    tmx: Any,
    memory: str,
) -> None:
    """Translate, correct and store one window of planned articles; record every outcome.

    ``engine`` is the run's engine, ``None`` while no article has needed one yet (every
    article so far brought its own translations).
    """
    glossary_ref = summary.glossary
    run_engine: Engine = engine or ProvidedEngine()
    contexts = {
        p.article.id: RunContext(tuple(p.actions), _identity(p, run_engine), glossary_ref)
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
            outcome = outcome_of(stored, resumed=True)
            outcome.engine = str(contexts[article.id].engine.get("name"))
            summary.outcomes.append(outcome)
            tmx.add(stored)
        else:
            todo.append(plan)
    failures = unavailable_pairs(todo, run_engine)
    todo = [p for p in todo if p.article.id not in failures]
    if todo:
        work = prepare_translation_task(todo, run_engine, glossary, memory, run.run_id)
        translated, failed_chunks = translate_chunks(work, spec_of(run_engine), memory)
        machine = assemble(work, translated)
        failures.update(articles_hit_by(work, failed_chunks))
        counts = summary.translation
        for key, value in (
            ("segments_sent_to_engine", work.segments_to_translate),
            ("segments_from_memory", work.segments_known),
            ("segments_approved", work.approved),
            (
                "segments_provided",
                sum(len(p.segments) * len(p.actions) for p in todo if p.provided),
            ),
        ):
            if value or key != "segments_provided":
                counts[key] = counts.get(key, 0) + value
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
                if finished.outcome.status == "done":
                    tmx.add_units(finished.source_language, finished.tmx)
            else:
                summary.outcomes.append(
                    ArticleOutcome(article.id, article.input_path, "failed", _failure_reason(state))
                )


def _identity(plan: ArticlePlan, engine: Engine) -> dict[str, Any]:
    """The engine an article is stored with: its own translations' or the run's."""
    if plan.provided:
        return engine_identity(ProvidedEngine(plan.article), [])
    return engine_identity(engine, segment_pairs(plan))
