"""The pipeline's steps as plain functions, and the executor that runs them.

Each step takes the records the previous one made: articles → plans (detect and segment) →
translation work (memory lookups, protected names, chunks per language pair) → chunk
answers → corrected, stored articles. :class:`LocalExecutor` calls them in this process;
the Prefect flow (``l10n.flow.translate``) runs the same functions as tasks, with retries
and artifacts. Either way, a step that fails fails only the articles it touches.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from l10n.correct.stage import correct_article
from l10n.errors import L10nError
from l10n.glossary import Glossary
from l10n.models import (
    Article,
    ArticleOutcome,
    ArticlePlan,
    MachineTranslation,
    Status,
    TranslatedArticle,
)
from l10n.mt.engines.routes import RunEngines
from l10n.mt.memory import open_memory
from l10n.mt.translate import (
    Answer,
    Chunk,
    TranslationWork,
    prepare_translation,
    translate_chunk,
)
from l10n.names.consistency import Occurrence
from l10n.newsroom.ninjs import ninjs_files
from l10n.review.carry import carry_reviews, orphan_file
from l10n.review.confidence_pass import ArticleScores, scores_of
from l10n.review.files import article_review_files
from l10n.review.interchange import tmx_units
from l10n.review.name_consistency import names_at_store
from l10n.run.store import Run, RunContext
from l10n.run.summary import outcome_of
from l10n.text.plan import plan_articles

ChunkAnswers = list[tuple[Chunk, dict[str, Answer]]]
ChunkFailures = list[tuple[Chunk, str]]
RETRY_DELAY_S = 2.0


@dataclass
class Finished:
    """What the run keeps of a stored (or failed) article: small, whatever the article's size.

    ``names`` and ``scores`` are what the run-level passes (names, low confidence) take from
    a stored article, so they need not read it back."""

    outcome: ArticleOutcome
    tmx: bytes = b""
    source_language: str = ""
    names: list[Occurrence] | None = None
    scores: ArticleScores | None = None


@dataclass
class FinishJob:
    """One article to correct and store: its plan, its raw MT per target, its context."""

    plan: ArticlePlan
    machine: dict[str, list[MachineTranslation]]
    ctx: RunContext


def failed(article: Article, reason: str) -> Finished:
    return Finished(ArticleOutcome(article.id, article.input_path, Status.FAILED, reason))


def prepare_window(
    plans: list[ArticlePlan], engines: RunEngines, glossary: Glossary, memory: str, run_id: str
) -> TranslationWork:
    """What the window's articles need from the engines, less what the memory already has."""
    with open_memory(memory) as tm:
        return prepare_translation(plans, engines, glossary, memory=tm, run_id=run_id)


def finish_article(
    job: FinishJob, glossary: Glossary, run: Run
) -> tuple[Finished, TranslatedArticle | None]:
    """Correct one article, store it with its review files; the record comes back too.

    A problem l10n can name (the article's folder can't be written…) fails the article
    with that message; anything else propagates, for the executor to retry or record.
    """
    plan, ctx = job.plan, job.ctx
    started = time.perf_counter()
    translated = TranslatedArticle(plan, correct_article(plan, job.machine, glossary), {})
    translated.timings = {**plan.timings, "correct": time.perf_counter() - started}
    translated.engines = ctx.engines_for(translated.translations)
    carried = carry_reviews(run, translated, glossary)  # a re-run keeps every decision
    names = names_at_store(translated, glossary)
    files = {
        **ninjs_files(translated),
        **article_review_files(translated, run.run_id),
        **orphan_file(carried),
    }
    try:
        run.write_article(translated, ctx, files)
    except L10nError as exc:
        return failed(plan.article, str(exc)), None
    outcome = outcome_of(translated)
    outcome.engine = ctx.engine_name
    finished = Finished(
        outcome,
        tmx_units(translated),
        translated.source_language,
        names=names,
        scores=scores_of(translated),
    )
    return finished, translated


def finish_with_retry(
    job: FinishJob, glossary: Glossary, run: Run, warn: Callable[[str], None]
) -> tuple[Finished, TranslatedArticle | None]:
    """:func:`finish_article`, tried once more after a pause when it raises (a full disk
    for a moment…); a second failure fails the article alone, with its reason."""
    for attempt in range(2):
        try:
            return finish_article(job, glossary, run)
        except Exception as exc:  # retried once, then the article fails, the window goes on
            if attempt:
                return failed(job.plan.article, f"{type(exc).__name__}: {exc}"), None
            warn(f"{job.plan.article.id} failed ({type(exc).__name__}: {exc}); retrying")
            time.sleep(RETRY_DELAY_S)
    raise AssertionError("unreachable")


class Finishing(Protocol):
    """A window's articles being corrected and stored; :meth:`results` waits for them."""

    def results(self) -> list[Finished]:
        """One result per job, in order; an article that fails is a failed outcome."""
        ...


@dataclass
class Ready:
    """Finishing that is already done."""

    finished: list[Finished]

    def results(self) -> list[Finished]:
        return self.finished


class Executor(Protocol):
    """Runs the steps: in this process, or as tasks of a workflow engine."""

    def plan(
        self, articles: list[Article], targets: list[str], source_lang: str | None
    ) -> list[ArticlePlan]: ...

    def prepare(
        self,
        plans: list[ArticlePlan],
        engines: RunEngines,
        glossary: Glossary,
        memory: str,
        run_id: str,
    ) -> TranslationWork: ...

    def translate(
        self, work: TranslationWork, engines: RunEngines, memory: str
    ) -> tuple[ChunkAnswers, ChunkFailures]:
        """Every chunk's answers; a chunk that fails is returned with why, not raised."""
        ...

    def finish(self, jobs: Sequence[FinishJob], glossary: Glossary, run: Run) -> Finishing:
        """Start correcting and storing ``jobs``; the run plans its next window meanwhile."""
        ...


class LocalExecutor:
    """Every step in this process, one after the other."""

    def plan(
        self, articles: list[Article], targets: list[str], source_lang: str | None
    ) -> list[ArticlePlan]:
        return plan_articles(articles, targets, source_lang)

    def prepare(
        self,
        plans: list[ArticlePlan],
        engines: RunEngines,
        glossary: Glossary,
        memory: str,
        run_id: str,
    ) -> TranslationWork:
        return prepare_window(plans, engines, glossary, memory, run_id)

    def translate(
        self, work: TranslationWork, engines: RunEngines, memory: str
    ) -> tuple[ChunkAnswers, ChunkFailures]:
        answers: ChunkAnswers = []
        failures: ChunkFailures = []
        if not work.chunks:
            return answers, failures
        with open_memory(memory) as tm:
            for chunk in work.chunks:
                try:
                    engine = engines.for_pair(chunk.source, chunk.target)
                    answers.append((chunk, translate_chunk(engine, chunk, tm)))
                except Exception as exc:  # the chunk's articles fail, the run goes on
                    failures.append((chunk, f"{type(exc).__name__}: {exc}"))
        return answers, failures

    def finish(self, jobs: Sequence[FinishJob], glossary: Glossary, run: Run) -> Finishing:
        results = []
        for job in jobs:
            try:
                results.append(finish_article(job, glossary, run)[0])
            except Exception as exc:  # the article fails, the run goes on
                results.append(failed(job.plan.article, f"{type(exc).__name__}: {exc}"))
        return Ready(results)
