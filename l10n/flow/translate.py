"""The ``translate-articles`` flow: the pipeline of :mod:`l10n.pipeline`, run as Prefect tasks.

The run itself — windows, resume, failure bookkeeping, the summary — is
:func:`l10n.pipeline.translate_run`; this module gives it an executor whose steps are
tasks (plans per window, one task per translation chunk, which a Dask runner can spread
over workers, and one per :data:`FINISH_WINDOW` articles to correct and store, each article
tried twice), shows the first :data:`~l10n.flow.artifacts.PER_ARTICLE_ARTIFACTS_LIMIT`
stored articles as artifacts, and ends the Prefect run with one state that says why it
failed, if it did (:mod:`l10n.flow.outcome`). Each Prefect run is named after its l10n run.

Tasks take and return their records inside a :class:`Handle`: Prefect walks every list,
dict and dataclass in a task's arguments looking for futures, and links each item of a
returned collection to the task's state for the rest of the flow run, and a window's
records are large and many, so each task argument or result it sees is one small object
(the records ride along untouched, pickled as usual when a Dask worker runs the task).
The articles of a big run are corrected and stored in worker processes
(:mod:`l10n.pipeline.pool`) while the flow plans and translates the next window.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from prefect import flow, get_client, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from l10n.errors import L10nError
from l10n.flow import heartbeats
from l10n.flow.artifacts import (
    PER_ARTICLE_ARTIFACTS_LIMIT,
    ArticleArtifacts,
    publish_article,
    publish_run_artifacts,
    review_app_url,
)
from l10n.flow.events import announce
from l10n.flow.outcome import RunFailed, final_state, quiet_reported_failures, stopped, ui_logger
from l10n.flow.params import (
    Beam,
    ComputeType,
    Device,
    EngineOption,
    GlossaryFile,
    Inputs,
    JapaneseEngine,
    KoreanEngine,
    MaxInputMb,
    Memory,
    OutFolder,
    Pasted,
    PrivateUrls,
    RouteList,
    RulesFile,
    RunName,
    SourceLang,
    Targets,
    Threads,
    blank_to_none,
)
from l10n.glossary import Glossary
from l10n.models import Article, ArticlePlan
from l10n.mt.engines.registry import EngineSpec, engine_from_spec
from l10n.mt.engines.routes import RunEngines, target_routes
from l10n.mt.memory import open_memory
from l10n.mt.translate import Answer, Chunk, TranslationWork, translate_chunk
from l10n.pipeline import (
    DEFAULTS,
    Finished,
    FinishJob,
    PastedText,
    RunOptions,
    open_run,
    translate_run,
)
from l10n.pipeline.pool import MIN_JOBS, FinishPool, finish_processes
from l10n.pipeline.steps import (
    ChunkAnswers,
    ChunkFailures,
    Finishing,
    Ready,
    failed,
    finish_with_retry,
    prepare_window,
)
from l10n.run.ids import new_run_id, run_id_from_name
from l10n.run.store import Run
from l10n.text.plan import plan_articles

__all__ = ["RunFailed", "translate_articles"]

FINISH_WINDOW = 10
"""Articles corrected and stored by one task: a task's start costs about what an article's
own work does, so one per article would double a run's cost."""

heartbeats.install()

T = TypeVar("T")


class Handle(Generic[T]):
    """Records passed to a task as one opaque argument (see the module's notes)."""

    __slots__ = ("value",)

    def __init__(self, value: T) -> None:
        self.value = value

    def __getstate__(self) -> tuple[T]:
        return (self.value,)  # never empty: pickle skips __setstate__ for a falsy state

    def __setstate__(self, state: tuple[T]) -> None:
        (self.value,) = state

    def __repr__(self) -> str:  # what Prefect shows for the argument
        return f"Handle({type(self.value).__name__})"


@task(cache_policy=NONE)
def plan_window_task(
    articles: Handle[list[Article]], targets: list[str], source_lang: str | None
) -> Handle[list[ArticlePlan]]:
    return Handle(plan_articles(articles.value, targets, source_lang))


@task(cache_policy=NONE)
def prepare_translation_task(
    plans: Handle[list[ArticlePlan]],
    engines: Handle[RunEngines],
    glossary: Handle[Glossary],
    memory: str,
    run_id: str,
) -> Handle[TranslationWork]:
    return Handle(prepare_window(plans.value, engines.value, glossary.value, memory, run_id))


@task(cache_policy=NONE, retries=1, retry_delay_seconds=2)
def translate_chunk_task(
    spec: EngineSpec, chunk: Handle[Chunk], memory: str
) -> Handle[dict[str, Answer]]:
    with open_memory(memory) as tm:
        return Handle(translate_chunk(engine_from_spec(spec), chunk.value, tm))


@task(cache_policy=NONE, retries=1, retry_delay_seconds=2)
def finish_window_task(
    jobs: Handle[list[FinishJob]],
    glossary: Handle[Glossary],
    run: Handle[Run],
    shown: int,
    pool: Handle[FinishPool | None] | None = None,
) -> Handle[list[Finished]]:
    """Correct and store a window of articles; the first ``shown`` get an artifact each.

    In a worker process of ``pool`` when there is one and no artifact to show (this task
    waits for it). An article whose step raises is tried once more; if it fails again, it
    fails alone."""
    logger = get_run_logger()
    if pool is not None and pool.value is not None and not shown:
        try:
            results, warnings = pool.value.submit(jobs.value).result()
        except CancelledError:  # the run is stopping (Ctrl-C): nothing more is stored
            raise
        except Exception as exc:  # the workers' trouble (one killed…): this process does it
            why = "a worker process ended" if isinstance(exc, BrokenProcessPool) else "workers"
            logger.warning("finishing in the run's process (%s: %s)", why, exc)
        else:
            for warning in warnings:
                logger.warning(warning)
            return Handle(results)
    results = []
    for number, job in enumerate(jobs.value):
        finished, translated = finish_with_retry(job, glossary.value, run.value, logger.warning)
        results.append(finished)
        if translated is not None and number < shown:
            try:
                pseudo = translated.is_pseudo()
                publish_article(translated, engine=job.ctx.engine_name, pseudo=pseudo)
            except Exception as exc:  # the article is stored; a UI hiccup must not fail it
                logger.warning("no artifact for %s: %s", job.plan.article.id, exc)
    return Handle(results)


class WindowTasks:
    """The finishing tasks of one window (see :class:`~l10n.pipeline.steps.Finishing`)."""

    def __init__(
        self,
        windows: list[list[FinishJob]],
        futures: list[PrefectFuture[Handle[list[Finished]]]],
    ) -> None:
        self.windows, self.futures = windows, futures

    def results(self) -> list[Finished]:
        """A task that fails as a whole fails only its own articles, with its reason."""
        results: list[Finished] = []
        for window, future in zip(self.windows, self.futures, strict=True):
            future.wait()
            state = future.state
            if state.is_completed():
                results += state.result().value
            else:
                reason = _failure_reason(state)
                results += [failed(job.plan.article, reason) for job in window]
        return results


class PrefectExecutor:
    """The pipeline's steps as tasks on the flow's task runner (threads, or Dask)."""

    def __init__(self, artifacts_limit: int | None = None, processes: int | None = None) -> None:
        limit = PER_ARTICLE_ARTIFACTS_LIMIT if artifacts_limit is None else artifacts_limit
        self.artifacts = ArticleArtifacts(limit)
        self.processes = finish_processes() if processes is None else processes
        self.pool: FinishPool | None = None

    def close(self) -> None:
        """End the finishing processes, if any were started."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    def plan(
        self, articles: list[Article], targets: list[str], source_lang: str | None
    ) -> list[ArticlePlan]:
        return plan_window_task(Handle(articles), targets, source_lang).value

    def prepare(
        self,
        plans: list[ArticlePlan],
        engines: RunEngines,
        glossary: Glossary,
        memory: str,
        run_id: str,
    ) -> TranslationWork:
        work = prepare_translation_task(
            Handle(plans), Handle(engines), Handle(glossary), memory, run_id
        )
        return work.value

    def translate(
        self, work: TranslationWork, engines: RunEngines, memory: str
    ) -> tuple[ChunkAnswers, ChunkFailures]:
        """Every chunk to the task runner; one that fails after its retry fails only the
        articles it holds segments of."""
        futures = {
            translate_chunk_task.submit(chunk.spec, Handle(chunk), memory): chunk
            for chunk in work.chunks
        }
        answers: ChunkAnswers = []
        failures: ChunkFailures = []
        for future in as_completed(list(futures)):
            chunk = futures[future]
            try:
                answers.append((chunk, future.result().value))
            except Exception as exc:
                failures.append((chunk, f"{type(exc).__name__}: {exc}"))
        return answers, failures

    def finish(self, jobs: Sequence[FinishJob], glossary: Glossary, run: Run) -> Finishing:
        """A task per :data:`FINISH_WINDOW` articles. With worker processes the tasks wait
        for them and the run goes on to its next window meanwhile; a window finished in this
        process (its articles shown as artifacts, or no workers) is waited for."""
        windows = [list(jobs[i : i + FINISH_WINDOW]) for i in range(0, len(jobs), FINISH_WINDOW)]
        shown = [self.artifacts.take(len(window)) for window in windows]
        if len(jobs) >= MIN_JOBS and not all(shown):
            self._start_pool(glossary, run)
        shared = Handle(glossary), Handle(run)
        pool = Handle(self.pool)
        futures = [
            finish_window_task.submit(Handle(window), *shared, count, pool)
            for window, count in zip(windows, shown, strict=True)
        ]
        tasks = WindowTasks(windows, futures)
        if self.pool is not None and not any(shown):
            return tasks  # every window in a worker: nothing shares this process meanwhile
        return Ready(tasks.results())

    def _start_pool(self, glossary: Glossary, run: Run) -> None:
        """Worker processes for the run's finishing, where this flow's tasks run in its
        own process (a Dask cluster spreads them itself)."""
        if self.pool is not None or not self.processes:
            return
        context = FlowRunContext.get()
        if context is None or not isinstance(context.task_runner, ThreadPoolTaskRunner):
            return
        try:
            self.pool = FinishPool(glossary, run, self.processes)
        except Exception as exc:  # the run goes on in this process
            get_run_logger().warning("finishing in the run's process: no worker process (%s)", exc)
            self.processes = 0


def flow_parameters(options: RunOptions) -> dict[str, Any]:
    """The flow's parameters for ``options`` (the form's empty text means "the default")."""
    return {
        "pasted": [{"title": p.title, "body": p.body} for p in options.pasted],
        "inputs": list(options.inputs),
        "targets": list(options.targets),
        "engine": options.engine,
        "routes": list(options.routes),
        "out": options.out,
        "glossary": options.glossary,
        "source_lang": options.source_lang or "",
        "run_id": options.run_id or "",
        "memory": options.memory or "",
        "boilerplate_rules": options.boilerplate_rules or "",
        "threads": options.threads,
        "beam": options.beam,
        "compute_type": options.compute_type or "",
        "device": options.device,
        "allow_private_urls": options.allow_private_urls,
        "max_input_mb": options.max_input_mb,
    }


def _failure_reason(state: Any) -> str:
    try:
        state.result()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return state.message or state.name


def run_name() -> str:
    """The flow run's name in Prefect, set as it starts: the l10n run id given; else, for a
    run a deployment made (the UI's form, a schedule, ``prefect deployment run``), its own
    name as a safe folder name ("Nara summit" → "Nara-summit"), so the name the UI showed
    when the run was submitted is the run's id; else a new id from the clock."""
    try:
        context = FlowRunContext.get()
        parameters = context.parameters if context and context.parameters else {}
        given = str(parameters.get("run_id") or "").strip()
        if given:
            return given
        flow_run = context.flow_run if context else None
        if flow_run is not None and flow_run.deployment_id:
            return run_id_from_name(flow_run.name) or new_run_id()
    except Exception:  # a name must never stop the run
        pass
    return new_run_id()


def _claim_run(out: str) -> Run:
    """The run folder of a run started without a run id: named after the flow run (see
    :func:`run_name`), claimed for it so another run of that name is never resumed; a
    taken name gets a ``-2``, ``-3``… suffix, and the Prefect run is renamed to match."""
    context = FlowRunContext.get()
    flow_run = context.flow_run if context else None
    if flow_run is None:  # not in a flow run (a test calling the function itself)
        return Run.claim(out, new_run_id(), new_run_id())
    name = run_id_from_name(flow_run.name) or new_run_id()
    run = Run.claim(out, name, str(flow_run.id))
    if run.run_id != flow_run.name:
        try:
            with get_client(sync_client=True) as client:
                client.set_flow_run_name(flow_run.id, run.run_id)
            flow_run.name = run.run_id
        except Exception as exc:  # the run goes on under its l10n id; say so
            get_run_logger().warning("could not rename the Prefect run: %s", exc)
        ui_logger().warning(
            "%s already holds a run named %r, so this run is %r (its folder and its name here)",
            run.out,
            name,
            run.run_id,
        )
    return run


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
    targets: Targets = DEFAULTS.targets,
    engine: EngineOption = DEFAULTS.engine,
    engine_ja: JapaneseEngine = "",
    engine_ko: KoreanEngine = "",
    routes: RouteList = [],  # noqa: B006
    out: OutFolder = DEFAULTS.out,
    glossary: GlossaryFile = DEFAULTS.glossary,
    source_lang: SourceLang = "",
    run_id: RunName = "",
    memory: Memory = "",
    boilerplate_rules: RulesFile = "",
    threads: Threads = DEFAULTS.threads,
    beam: Beam = DEFAULTS.beam,
    compute_type: ComputeType = "",
    device: Device = DEFAULTS.device,
    allow_private_urls: PrivateUrls = DEFAULTS.allow_private_urls,
    max_input_mb: MaxInputMb = DEFAULTS.max_input_mb,
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
        engine_ja: The engine for every translation into Japanese, when it is not the
            one above (for example quickmt or nllb, with their models registered by
            `l10n models add`).
        engine_ko: The same for Korean.
        routes: Another engine for one language pair, written SOURCE-TARGET=ENGINE (for
            example en-ko=argos); the engine above translates every other pair.
        out: The folder on this machine where results are saved (or an s3:// address);
            each run gets a folder named after the run.
        glossary: The name glossary on this machine: how leaders' and places' names must
            be written in each language.
        source_lang: The language the articles are written in, as a code such as en.
            Leave empty to detect each article's language.
        run_id: Leave empty to start a new run named as the form's own "Run Name" box
            above says (the name in the toast; spaces and other characters a folder
            can't have become '-'; a name an earlier run holds gets -2, -3…). Give the
            name of an earlier run to finish it: its finished articles are kept. A name
            here is 1 to 80 letters, digits, '.', '_' or '-', starting with a letter or
            digit: no spaces (nara-summit, not "Nara summit"). The Prefect run takes
            this name when it starts, whatever the "Run Name" box says.
        memory: Where translations are remembered for reuse. Leave empty to use
            $L10N_TM, else the one in the results folder; or give a file on this machine or
            a postgresql:// address.
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
        options = RunOptions(
            inputs=list(inputs),
            pasted=[PastedText(p.title, p.body) for p in pasted],
            targets=list(targets),
            engine=engine,
            routes=[*routes, *target_routes({"ja": engine_ja, "ko": engine_ko})],
            out=out,
            glossary=glossary,
            source_lang=blank_to_none(source_lang),
            run_id=blank_to_none(run_id),
            memory=blank_to_none(memory),
            boilerplate_rules=blank_to_none(boilerplate_rules),
            threads=threads,
            beam=beam,
            compute_type=blank_to_none(compute_type),
            device=device,
            allow_private_urls=allow_private_urls,
            max_input_mb=max_input_mb,
        )
        if options.run_id:  # the given run: a new one, or an earlier one to finish
            run = open_run(options)
        else:
            run = _claim_run(options.out)
            options.run_id = run.run_id
        executor = PrefectExecutor()
        try:
            summary = translate_run(options, executor, run=run)
        finally:
            executor.close()
    except L10nError as exc:  # a setting or the run folder: one message, no traceback
        return stopped(exc)
    if not options.given:
        return final_state(summary, given=False)
    for warning in summary.warnings:
        ui_logger().warning(warning)
    shown = executor.artifacts
    if shown.skipped:
        get_run_logger().info(
            "per-article artifacts: at most %d, none above %d input articles; the other %d "
            "article(s) are in the run's table, its index artifact, its report and the review app",
            shown.limit,
            shown.limit,
            shown.skipped,
        )
    publish_run_artifacts(summary, run.location, review_app_url(summary.run_id), shown)
    get_run_logger().info("run stored in %s", run.location)
    announce(summary)
    return final_state(summary)
