"""The machine-translation stage: every segment of a window of articles, batched across them.

Segments from all articles that share a language pair are deduplicated, looked up in
the translation memory and cut into length-sorted chunks; each chunk is one call to
the engine, so a model is loaded once per process and its batches are full. Chunks
are independent, which lets the flow spread them over threads or Dask workers.
A segment a reviewer approved is taken from the memory as it is and never sent.
An article that brought its own translations (``plan.provided``) takes them, unsent and
unrecorded: they are the input's text, not this engine's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from l10n.formats.ninjs import item_spans
from l10n.glossary import ArticleNames, Glossary
from l10n.models import ArticlePlan, MachineTranslation, Origin
from l10n.mt.engines.base import Engine, chunk_segments, engine_identity
from l10n.mt.engines.registry import EngineSpec, spec_of
from l10n.mt.memory import MTEntry, TranslationMemory
from l10n.text.context import context_dependent
from l10n.text.languages import is_valid_code
from l10n.text.plan import segment_pairs

MTResults = dict[str, dict[str, list[MachineTranslation]]]
"""Article id → target language → one MachineTranslation per segment."""
Answer = tuple[str, float | None]
"""An engine's output for one text and the model's score of it (None: the engine has none)."""


class PairEngines(Protocol):
    """Which engine translates a language pair (``RunEngines``, or one engine for all)."""

    def for_pair(self, source: str, target: str) -> Engine: ...


@dataclass(frozen=True)
class OneEngine:
    """One engine for every language pair."""

    engine: Engine

    def for_pair(self, source: str, target: str) -> Engine:
        return self.engine


def engines_of(engines: PairEngines | Engine) -> PairEngines:
    if isinstance(engines, OneEngine) or hasattr(engines, "for_pair"):
        return engines  # type: ignore[return-value]
    return OneEngine(engines)


@dataclass
class Chunk:
    """Texts of one language pair to send to the engine in one call, shortest first.

    ``spec`` rebuilds the engine in another process; ``fingerprint`` is the engine's
    identity as the translation memory keys its answers.
    """

    source: str
    target: str
    texts: list[str]
    fingerprint: dict[str, Any]
    spec: EngineSpec
    run_id: str | None = None
    pseudo: bool = False


@dataclass
class TranslationWork:
    """Everything the engine must translate for a window of articles, and where answers go."""

    rows: MTResults
    jobs: dict[tuple[str, str], list[tuple[str, str, int, str]]]
    # Raw MT the memory already had, per pair: text sent → (MT, score).
    known: dict[tuple[str, str], dict[str, Answer]] = field(default_factory=dict)
    chunks: list[Chunk] = field(default_factory=list)
    # Segments filled with an approved translation from the memory.
    approved: int = 0
    # Inline elements of HTML bodies (ninjs): article id → target → element text → its
    # translations, best first; ``span_jobs`` are those still waiting for the engine's.
    spans: dict[str, dict[str, dict[str, list[str]]]] = field(default_factory=dict)
    span_jobs: dict[tuple[str, str], list[tuple[str, str, str]]] = field(default_factory=dict)

    @property
    def segments_to_translate(self) -> int:
        return sum(len(c.texts) for c in self.chunks)

    @property
    def segments_known(self) -> int:
        return sum(len(known) for known in self.known.values())


def unavailable_pairs(
    plans: Iterable[ArticlePlan], engines: PairEngines | Engine
) -> dict[str, str]:
    """Articles no engine of the run can translate, with the reason naming the missing pairs
    and the one command that fixes it (the engine's own words).

    Only those articles fail: the others of the batch go on. Articles that brought their
    own translations (``plan.provided``) need no engine and are never listed.
    """
    engines = engines_of(engines)
    reasons: dict[str, str] = {}
    for plan in plans:
        if plan.provided:
            continue
        problems: list[str] = []
        missing: dict[int, tuple[Engine, list[tuple[str, str]]]] = {}
        for source, target in sorted(segment_pairs(plan)):
            if not is_valid_code(source):
                problems.append(
                    f"{source!r} is not a language code — pass --source-lang or fix the "
                    f'input\'s language (e.g. "lang": "en")'
                )
                continue
            engine = engines.for_pair(source, target)
            if not engine.can_translate(source, target):
                missing.setdefault(id(engine), (engine, []))[1].append((source, target))
        problems[:0] = [engine.missing_reason(pairs) for engine, pairs in missing.values()]
        if problems:
            reasons[plan.article.id] = "; ".join(problems)
    return reasons


def provided_translations(plan: ArticlePlan) -> dict[str, list[MachineTranslation]]:
    """Per target, one row per segment from the translations the article's input brought.

    Segments line up with ``article.units`` one to one (``l10n.text.plan`` made them so); a
    segment the input gave no translation for is already in that language and is copied.
    """
    units = plan.article.units
    rows: dict[str, list[MachineTranslation]] = {}
    for lang in plan.actions:
        out: list[MachineTranslation] = []
        for seg in plan.segments:
            given = units[seg.index].translations.get(lang)
            if given is not None:
                out.append(MachineTranslation(seg.text, given, None, origin=Origin.PROVIDED))
            else:
                assert plan.source_lang(seg) == lang, (plan.article.id, seg.index, lang)
                out.append(MachineTranslation(seg.text, seg.text, None, origin=Origin.COPY))
        rows[lang] = out
    return rows


def prepare_translation(
    plans: Iterable[ArticlePlan],
    engines: PairEngines | Engine,
    glossary: Glossary,
    *,
    memory: TranslationMemory | None = None,
    chunk_size: int | None = None,
    run_id: str | None = None,
) -> TranslationWork:
    """Protect glossary terms, collect unique texts per pair, and take what the memory has.

    An approved translation of a segment's source text fills it at once; raw MT of the text
    to send (placeholders and all) spares the engine call; the rest goes into chunks.
    Pseudo-localization never takes approved text, so its output stays recognisable.
    A chunk holds ``chunk_size`` texts, by default the engine's :func:`chunk_segments`.
    """
    engines = engines_of(engines)
    rows: MTResults = {}
    # (article id, target, segment index, text to send, source text)
    pending: dict[tuple[str, str], list[tuple[str, str, int, str, str]]] = defaultdict(list)
    spans: dict[str, dict[str, dict[str, list[str]]]] = {}
    span_pending: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for plan in plans:
        if plan.skipped or plan.language is None:
            continue
        if plan.provided:
            rows[plan.article.id] = provided_translations(plan)
            continue
        per_lang = rows.setdefault(plan.article.id, {})
        names: ArticleNames | None = None
        for lang in plan.actions:
            out: list[MachineTranslation] = []
            for seg in plan.segments:
                source = plan.source_lang(seg)
                if source == lang:
                    out.append(MachineTranslation(seg.text, seg.text, None, origin=Origin.COPY))
                    continue
                engine = engines.for_pair(source, lang)
                protection = None
                text = seg.text
                if engine.carries_placeholders and source == glossary.source_language:
                    names = names or glossary.plan_names(plan)
                    protection = glossary.protect(
                        seg.text,
                        lang,
                        names=names,
                        strategy="protect" if engine.is_pseudo else None,
                    )
                    text = protection.text
                out.append(MachineTranslation(text, "", protection))
                pending[(source, lang)].append((plan.article.id, lang, seg.index, text, seg.text))
            per_lang[lang] = out
        _collect_spans(plan, glossary, spans, span_pending)

    work = TranslationWork(rows, {}, spans=spans)
    for source, target in dict.fromkeys([*pending, *span_pending]):
        pair_jobs = pending.get((source, target), [])
        engine = engines.for_pair(source, target)
        use_approved = not engine.is_pseudo
        fingerprint = engine_identity(engine, [(source, target)]).to_json()
        asked = {job[3] for job in pair_jobs}
        if use_approved:
            asked |= {job[4] for job in pair_jobs}
        asked |= {span for *_, span in span_pending.get((source, target), [])}
        hits = (
            memory.lookup(asked, source, target, fingerprint, approved=use_approved)
            if memory is not None
            else {}
        )
        jobs: list[tuple[str, str, int, str]] = []
        for article_id, lang, index, text, original in pair_jobs:
            hit = hits.get(original)
            if hit is not None and hit.origin == "approved":
                row = rows[article_id][lang][index]
                assert memory is not None
                provenance = provenance_of(memory, original, source, target)
                leaning = context_dependent(original, source)
                if leaning is not None:  # offered, not applied: see l10n.text.context
                    row.suggestion = f"{hit.text} ({provenance}; the source's {leaning!r} "
                    row.suggestion += "depends on its article)"
                    jobs.append((article_id, lang, index, text))
                    continue
                row.mt, row.protection, row.origin = hit.text, None, Origin.APPROVED
                row.provenance = provenance
                work.approved += 1
            else:
                jobs.append((article_id, lang, index, text))
        span_jobs: list[tuple[str, str, str]] = []
        for article_id, lang, span in span_pending.get((source, target), []):
            hit = hits.get(span)
            if use_approved and hit is not None and hit.origin == "approved":
                spans[article_id][lang][span].append(hit.text)
            else:
                span_jobs.append((article_id, lang, span))
        if not jobs and not span_jobs:
            continue
        if jobs:
            work.jobs[(source, target)] = jobs
        if span_jobs:
            work.span_jobs[(source, target)] = span_jobs
        texts = sorted(
            {text for *_, text in jobs} | {span for *_, span in span_jobs},
            key=lambda t: (len(t), t),
        )
        known = {
            t: (hits[t].text, hits[t].score) for t in texts if t in hits and hits[t].origin == "mt"
        }
        work.known[(source, target)] = known
        todo = [t for t in texts if t not in known]
        spec = spec_of(engine)
        size = chunk_size or chunk_segments(engine) or max(1, len(todo))
        for start in range(0, len(todo), size):
            part = todo[start : start + size]
            work.chunks.append(
                Chunk(
                    source, target, part, fingerprint, spec, run_id=run_id, pseudo=engine.is_pseudo
                )
            )
    return work


def _collect_spans(
    plan: ArticlePlan,
    glossary: Glossary,
    spans: dict[str, dict[str, dict[str, list[str]]]],
    pending: dict[tuple[str, str], list[tuple[str, str, str]]],
) -> None:
    """The inline elements of an article's HTML bodies, to be found again in each target's
    translation: a glossary name's rendering at once, the rest from the memory or engine.
    Markup never reaches the engine: only an element's bare text is sent."""
    found = item_spans(plan.article.ninjs) if plan.article.ninjs and plan.language else []
    if not found or plan.language is None:
        return
    source = plan.language.code
    names: ArticleNames | None = None
    for lang in plan.actions:
        if lang == source:
            continue
        per_span = spans.setdefault(plan.article.id, {}).setdefault(lang, {})
        for span in found:
            candidates: list[str] = []
            if source == glossary.source_language:
                names = names or glossary.plan_names(plan)
                mentions = glossary.mentions(span, names)
                if len(mentions) == 1 and mentions[0].surface.strip() == span.strip():
                    rendering = glossary.by_id[mentions[0].entry_id].targets.get(lang)
                    if rendering:
                        candidates.append(rendering)
            per_span[span] = candidates
            pending[(source, lang)].append((plan.article.id, lang, span))


def scored_outputs(engine: Engine, texts: list[str], source: str, target: str) -> list[Answer]:
    """The engine's outputs with its scores, where it gives them (``translate_scored``)."""
    scored = getattr(engine, "translate_scored", None)
    if callable(scored):
        return [(str(text), score) for text, score in scored(texts, source, target)]
    return [(text, None) for text in engine.translate_batch(texts, source, target)]


def provenance_of(memory: TranslationMemory, text: str, source: str, target: str) -> str:
    """Where the memory's approved translation of ``text`` came from, in words."""
    approval = memory.approval_of(text, source, target)
    if approval is None:
        return "approved in the translation memory"
    when = approval.approved_at.strftime("%Y-%m-%d %H:%M UTC")
    run = approval.run_id or ""
    if run.startswith("import:"):
        return f"imported from {run.removeprefix('import:')}, vouched for by {approval.reviewer}"
    where = f" in run {run}" if run else ""
    if approval.article_id:
        where += f", article {approval.article_id}"
        if approval.segment is not None:
            where += f" #{approval.segment}"
    return f"approved by {approval.reviewer} on {when}{where}"


def translate_chunk(
    engine: Engine, chunk: Chunk, memory: TranslationMemory | None = None
) -> dict[str, Answer]:
    """One engine call; the answers go to the memory at once so a killed run keeps them."""
    outputs = scored_outputs(engine, chunk.texts, chunk.source, chunk.target)
    if memory is not None:
        memory.record(
            MTEntry(
                text,
                chunk.source,
                chunk.target,
                chunk.fingerprint,
                mt,
                run_id=chunk.run_id,
                pseudo=chunk.pseudo,
                score=score,
            )
            for text, (mt, score) in zip(chunk.texts, outputs, strict=True)
        )
    return dict(zip(chunk.texts, outputs, strict=True))


def assemble(work: TranslationWork, results: list[tuple[Chunk, dict[str, Answer]]]) -> MTResults:
    """Put every answer (and its score) back on the segment of every article that asked."""
    answers = {pair: dict(known) for pair, known in work.known.items()}
    for chunk, translated in results:
        answers.setdefault((chunk.source, chunk.target), {}).update(translated)
    for pair, pair_jobs in work.jobs.items():
        for article_id, lang, index, text in pair_jobs:
            if text in answers.get(pair, {}):
                row = work.rows[article_id][lang][index]
                row.mt, row.score = answers[pair][text]
    for pair, span_jobs in work.span_jobs.items():
        for article_id, lang, span in span_jobs:
            if span in answers.get(pair, {}):
                work.spans[article_id][lang][span].append(answers[pair][span][0])
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
    engines: PairEngines | Engine,
    glossary: Glossary,
    *,
    memory: TranslationMemory | None = None,
    chunk_size: int | None = None,
) -> MTResults:
    """The whole stage in one process, for callers without a task runner."""
    engines = engines_of(engines)
    work = prepare_translation(plans, engines, glossary, memory=memory, chunk_size=chunk_size)
    return assemble(
        work,
        [
            (c, translate_chunk(engines.for_pair(c.source, c.target), c, memory))
            for c in work.chunks
        ],
    )
