"""The machine-translation stage: every segment of the run, batched across articles.

Segments from all articles that share a language pair are deduplicated, looked
up in the cache and cut into length-sorted chunks; each chunk is one call to the
engine, so a model is loaded once per process and its batches are full. Chunks
are independent, which lets the flow spread them over threads or Dask workers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from l10n.glossary import Glossary, Protection
from l10n.mt.engines.base import Engine
from l10n.mt.memory import TranslationCache, translation_key
from l10n.text.plan import ArticlePlan


@dataclass
class MachineTranslation:
    """Raw engine output for one segment, with the protection used to get it."""

    text_sent: str
    mt: str
    protection: Protection | None


MTResults = dict[str, dict[str, list[MachineTranslation]]]


@dataclass
class Chunk:
    """Texts of one language pair to send to the engine in one call, shortest first."""

    source: str
    target: str
    texts: list[str]
    keys: list[str]


@dataclass
class TranslationWork:
    """Everything the engine must translate for a run, and where the answers go."""

    rows: MTResults
    jobs: dict[tuple[str, str], list[tuple[str, str, int, str]]]
    known: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def segments_to_translate(self) -> int:
        return sum(len(c.texts) for c in self.chunks)


def engine_fingerprint(engine: Engine, source: str, target: str) -> dict[str, Any]:
    """What identifies an engine's output for a pair: name, packages, options."""
    return {
        "engine": engine.name,
        "packages": engine.packages(source, target),
        "options": engine.options,
    }


def uses_glossary(plan: ArticlePlan, glossary: Glossary) -> bool:
    return plan.language is not None and plan.language.code == glossary.source_language


def prepare_translation(
    plans: list[ArticlePlan],
    engine: Engine,
    glossary: Glossary,
    *,
    cache: TranslationCache | None = None,
    chunk_size: int = 64,
) -> TranslationWork:
    """Protect glossary terms, collect unique texts per pair, and drop cached ones."""
    rows: MTResults = {}
    jobs: dict[tuple[str, str], list[tuple[str, str, int, str]]] = defaultdict(list)
    for plan in plans:
        if plan.skipped or plan.language is None:
            continue
        per_lang = rows.setdefault(plan.article.id, {})
        names = None
        if engine.carries_placeholders and uses_glossary(plan, glossary):
            names = glossary.article_names([seg.text for seg in plan.segments])
        for lang, action in plan.actions.items():
            out: list[MachineTranslation] = []
            for seg in plan.segments:
                protection = None
                text = seg.text
                if action == "translate" and names is not None:
                    protection = glossary.protect(
                        seg.text,
                        lang,
                        names=names,
                        strategy="protect" if engine.is_pseudo else None,
                    )
                    text = protection.text
                out.append(
                    MachineTranslation(text, seg.text if action == "copy" else "", protection)
                )
                if action == "translate":
                    jobs[(plan.language.code, lang)].append(
                        (plan.article.id, lang, seg.index, text)
                    )
            per_lang[lang] = out

    work = TranslationWork(rows, dict(jobs))
    for (source, target), pair_jobs in work.jobs.items():
        fingerprint = engine_fingerprint(engine, source, target)
        texts = sorted({text for *_, text in pair_jobs}, key=lambda t: (len(t), t))
        keys = {t: translation_key(t, source, target, fingerprint) for t in texts}
        cached = cache.get_many(keys.values()) if cache else {}
        work.known[(source, target)] = {t: cached[k] for t, k in keys.items() if k in cached}
        todo = [t for t in texts if keys[t] not in cached]
        for start in range(0, len(todo), chunk_size):
            part = todo[start : start + chunk_size]
            work.chunks.append(Chunk(source, target, part, [keys[t] for t in part]))
    return work


def translate_chunk(
    engine: Engine, chunk: Chunk, cache: TranslationCache | None = None
) -> dict[str, str]:
    """One engine call; the answers go to the cache at once so a killed run keeps them."""
    outputs = engine.translate_batch(chunk.texts, chunk.source, chunk.target)
    if cache:
        cache.put_many(dict(zip(chunk.keys, outputs, strict=True)))
    return dict(zip(chunk.texts, outputs, strict=True))


def assemble(work: TranslationWork, results: list[tuple[Chunk, dict[str, str]]]) -> MTResults:
    """Put every answer back on the segment (of every article) that asked for it."""
    answers = {pair: dict(known) for pair, known in work.known.items()}
    for chunk, translated in results:
        answers.setdefault((chunk.source, chunk.target), {}).update(translated)
    for pair, pair_jobs in work.jobs.items():
        for article_id, lang, index, text in pair_jobs:
            if text in answers.get(pair, {}):
                work.rows[article_id][lang][index].mt = answers[pair][text]
    return work.rows


def articles_hit_by(work: TranslationWork, failed: list[tuple[Chunk, str]]) -> dict[str, str]:
    """Articles with a segment in a failed chunk, and why: they cannot be finished."""
    reasons = {(c.source, c.target, text): why for c, why in failed for text in c.texts}
    hit: dict[str, str] = {}
    for (source, target), pair_jobs in work.jobs.items():
        for article_id, _, _, text in pair_jobs:
            why = reasons.get((source, target, text))
            if why is not None:
                hit.setdefault(article_id, f"translation {source}→{target} failed: {why}")
    return hit


def translate_plans(
    plans: list[ArticlePlan],
    engine: Engine,
    glossary: Glossary,
    *,
    cache: TranslationCache | None = None,
    chunk_size: int = 64,
) -> MTResults:
    """The whole stage in one process, for callers without a task runner."""
    work = prepare_translation(plans, engine, glossary, cache=cache, chunk_size=chunk_size)
    return assemble(work, [(c, translate_chunk(engine, c, cache)) for c in work.chunks])
