"""A reviewer's decisions on stored segments: applied to the run, learnt by the memory.

Each decision approves or rejects one segment in one language, optionally with an edited
text and a comment; it becomes the segment's :class:`~l10n.models.Review`. Saving goes
through the run owner under the run's lock: the article's files (segments, the reviewed
text, diffs, XLIFF, report page) are written again, manifest last, and the run summary and
index follow when their counts change. Approved translations then go to the translation
memory, where later runs take them instead of MT. Both the review app and ``l10n xliff
import`` save here.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from l10n.errors import L10nError
from l10n.glossary import ArticleNames, Glossary
from l10n.models import (
    ArticleOutcome,
    Channel,
    Inline,
    Review,
    ReviewCounts,
    ReviewStatus,
    Status,
    TargetSummary,
    TranslatedArticle,
    Translation,
)
from l10n.mt.memory import Approval, TranslationMemoryError, open_memory
from l10n.review.files import article_review_files
from l10n.review.recheck import recheck
from l10n.review.report import render_index
from l10n.run import layout
from l10n.run.codec import Tally, tallies
from l10n.run.decision_log import compact_after
from l10n.run.ids import now_iso
from l10n.run.store import EDITING_KEPT, Run
from l10n.run.summary import outcome_of

STATUSES = ("approved", "rejected", "commented", "edited")
ORIGINS = ("app", "xliff", "names")
MAX_TEXT = 20_000
"""Longest target text (characters) a decision may carry; a segment is one sentence."""

_LINE_BREAKS_RE = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
"""Control characters (NUL, ESC …) never belong in stored text; tabs become spaces."""


class DecisionError(L10nError):
    """A decision that can't apply to the stored article; the message says why."""

    exit_code = 2


@dataclass(frozen=True)
class Decision:
    """Approve or reject one segment in one language.

    ``text`` is the reviewer's version of the target; None keeps the current one (the
    previous review's text, else the corrected text).
    """

    segment: int
    lang: str
    status: ReviewStatus
    reviewer: str
    text: str | None = None
    comment: str = ""
    origin: Channel = Channel.APP
    inline: Inline = ()
    """The reviewer's target with the inline codes they placed (an XLIFF import of a segment
    whose source has codes); kept when its text is ``text``."""
    base: str | None = None
    """The segment's review as the reviewer loaded it (:func:`version_of`); a save refuses
    with :class:`StaleDecision` when it changed since. None: no check (XLIFF, scripts)."""


class StaleDecision(DecisionError):
    """Another reviewer decided the segment since it was loaded: both texts, to choose."""

    def __init__(self, decision: Decision, translation: Translation) -> None:
        review = translation.review
        self.theirs = translation.reviewed if review is None else review.text
        self.yours = decision.text
        self.by = "" if review is None else review.reviewer
        self.status = "open" if review is None else str(review.status)
        self.version = version_of(translation)
        super().__init__(
            f"segment {decision.segment} ({decision.lang}) was {self.status} by "
            f"{self.by or 'someone'} since you loaded it — compare the texts and decide again"
        )


@dataclass
class SaveResult:
    """What a save did: the article as stored and what the memory learnt."""

    article: TranslatedArticle
    updated: list[Translation]
    memory_location: str | None = None
    memory_approved: int = 0
    memory_note: str | None = None
    """Why approvals did not reach the memory (a pseudo run, an error), when they did not."""
    memory_error: bool = False
    counts: dict[str, ReviewCounts] = field(default_factory=dict)
    """Per language of the article, its review counts after the save."""


def clean_text(text: str) -> str:
    """A segment is one sentence: line breaks inside become spaces, control characters go,
    the ends are trimmed."""
    return _CONTROL_RE.sub("", _LINE_BREAKS_RE.sub(" ", text.replace("\t", " "))).strip()


def clean_comment(text: str) -> str:
    """A comment keeps its line breaks; other control characters go."""
    return _CONTROL_RE.sub("", text).strip()


def apply_decision(
    translated: TranslatedArticle,
    decision: Decision,
    *,
    glossary: Glossary | None = None,
    time: str | None = None,
    names: ArticleNames | None = None,
) -> Translation:
    """Set the segment's review from ``decision``; returns the updated translation.

    The glossary check and QA run again on the text the segment now publishes
    (:func:`~l10n.review.recheck.recheck`): flags the approved text resolves go, flags it
    causes appear — among them ``review-dropped-name`` for an edit that lost a glossary
    name the corrected text had.
    """
    translation = _target(translated, decision)
    if decision.status not in STATUSES:
        raise DecisionError(f"decision {decision.status!r} is not one of: {', '.join(STATUSES)}")
    if decision.origin not in ORIGINS:
        raise DecisionError(f"origin {decision.origin!r} is not one of: {', '.join(ORIGINS)}")
    reviewer = " ".join(decision.reviewer.split())
    if not reviewer:
        raise DecisionError("a decision needs a reviewer name — give --reviewer NAME")
    if decision.status == ReviewStatus.COMMENTED:
        return _comment(translation, decision, reviewer, time or now_iso())
    text = clean_text(translation.reviewed if decision.text is None else decision.text)
    if len(text) > MAX_TEXT:
        raise DecisionError(f"the text is longer than {MAX_TEXT} characters — one sentence only")
    if decision.status == "approved" and not text:
        raise DecisionError(
            f"segment {decision.segment} ({decision.lang}): an approved translation can't be "
            "empty — type the text or reject the segment"
        )
    translation.review = Review(
        status=decision.status,
        text=text,
        reviewer=reviewer,
        time=time or now_iso(),
        comment=clean_comment(decision.comment),
        origin=decision.origin,
        inline=_clean_inline(decision.inline, text),
    )
    recheck(translated, translation, glossary, names)
    return translation


def _clean_inline(parts: Inline, text: str) -> Inline:
    """``parts`` cleaned as ``text`` is; ``()`` when their text is not ``text`` after all."""
    cleaned = tuple(
        _CONTROL_RE.sub("", _LINE_BREAKS_RE.sub(" ", p.replace("\t", " ")))
        if isinstance(p, str)
        else p
        for p in parts
    )
    joined = "".join(p for p in cleaned if isinstance(p, str))
    return cleaned if parts and " ".join(joined.split()) == " ".join(text.split()) else ()


def _comment(translation: Translation, decision: Decision, reviewer: str, time: str) -> Translation:
    """A comment is a decision of its own: it keeps the segment's status and text."""
    comment = clean_comment(decision.comment)
    if translation.review is not None:
        translation.review = replace(translation.review, comment=comment)
    else:
        translation.review = Review(
            ReviewStatus.COMMENTED, translation.final, reviewer, time, comment, decision.origin
        )
    return translation


def version_of(translation: Translation) -> str:
    """What a page loaded of a segment's review: a write against another version is stale."""
    review = translation.review
    return "" if review is None else f"{review.status}|{review.time}|{review.reviewer}"


def _target(translated: TranslatedArticle, decision: Decision) -> Translation:
    rows = translated.translations.get(decision.lang)
    if rows is None:
        known = ", ".join(translated.translations) or "none"
        raise DecisionError(
            f"{translated.id}: no {decision.lang!r} translation — choose one of: {known}"
        )
    if not 0 <= decision.segment < len(rows):
        raise DecisionError(
            f"{translated.id}: no segment {decision.segment} (it has {len(rows)}, from 0)"
        )
    return rows[decision.segment]


def approvals(
    translated: TranslatedArticle, updated: Iterable[Translation], run_id: str
) -> list[Approval]:
    """Memory entries for the approved ones among ``updated`` (copied segments left out)."""
    out = []
    for translation in updated:
        review = translation.review
        if review is None or review.status != "approved" or translation.origin == "copy":
            continue
        segment = translated.plan.segments[translation.segment]
        out.append(
            Approval(
                source_text=segment.text,
                source=translated.plan.source_lang(segment),
                target=translation.lang,
                target_text=review.text,
                reviewer=review.reviewer,
                run_id=run_id,
                article_id=translated.id,
                segment=segment.index,
            )
        )
    return out


def save_decisions(
    run: Run,
    article_id: str,
    decisions: list[Decision],
    *,
    glossary: Glossary | None = None,
    memory_location: str | None = None,
    time: str | None = None,
    refresh: bool = True,
) -> SaveResult:
    """Apply ``decisions`` to a stored article and store it; approved ones go to the memory.

    Raises DecisionError (nothing written) when any decision does not fit the article, and
    RunLockedError when another process is writing the run. A memory that can't be written
    does not undo the run's files: the result says so in ``memory_note``. ``refresh=False``
    leaves ``run.json`` to a later :func:`refresh_summary` (one for many saves).
    """
    with run.lock():
        translated, log = run.article_for_decisions(article_id)
        kept = _kept_for(run, translated, glossary)
        try:
            for decision in decisions:
                if decision.base is not None:
                    target = _target(translated, decision)
                    if version_of(target) != decision.base:
                        raise StaleDecision(decision, target)
            langs = {d.lang for d in decisions}
            whole = {lang for lang in langs if _publishes(run, kept, lang)}
            decided = {(d.lang, d.segment) for d in decisions}
            _count(kept, translated, decided, -1)
            stamp = time or now_iso()
            updated = [
                apply_decision(translated, d, glossary=glossary, time=stamp, names=kept.names)
                for d in decisions
            ]
            _count(kept, translated, decided, +1)
            whole |= {lang for lang in langs if _publishes(run, kept, lang)}
            positions = {d.segment for d in decisions}
            if (
                whole
                or log.generation is None
                or log.lines + len(positions) > compact_after(len(translated.plan.segments))
            ):
                # something of a language is publishable before or after (its reviewed text
                # or usable ninjs appears, changes or goes): the whole article is written, as
                # it is when the log grew long (the write takes it in)
                run.update_article(
                    translated,
                    article_review_files(translated, run.run_id),
                    keep_for_decisions=True,
                )
            else:
                run.append_decisions(translated, log, positions)
        except BaseException:
            run.forget_edit(article_id)
            with _KEPT_GUARD:
                _KEPT.pop((run.location, article_id), None)
            raise
        if refresh:
            refresh_summary(run, [translated], {translated.id: kept.tallies})
    counts = {lang: tally.reviews() for lang, tally in kept.tallies.items()}
    result = SaveResult(translated, updated, memory_location, counts=counts)
    found = approvals(translated, updated, run.run_id)
    wanted = [a for a in found if not translated.is_pseudo(a.target)]
    if len(wanted) < len(found):
        result.memory_note = "pseudo-localized text: approvals are not kept in the memory"
    if not wanted:
        return result
    if memory_location is None:
        result.memory_note = "no translation memory was named: approvals stay in the run only"
        return result
    try:
        with open_memory(memory_location) as memory:
            result.memory_approved = memory.approve(wanted, replace=True)
    except TranslationMemoryError as exc:
        result.memory_note = f"saved in the run, but not in the memory: {exc}"
        result.memory_error = True
    return result


@dataclass
class _Kept:
    """What saves of one article reuse while its stored record is the same object (the run
    keeps it between saves, :meth:`~l10n.run.store.Run.article_for_decisions`): its counts,
    brought up to date segment by segment, and the glossary names its text holds."""

    translated: TranslatedArticle
    tallies: dict[str, Tally]
    glossary: Glossary | None
    names: ArticleNames | None


_KEPT: dict[tuple[str, str], _Kept] = {}
_KEPT_GUARD = threading.Lock()


def _kept_for(run: Run, translated: TranslatedArticle, glossary: Glossary | None) -> _Kept:
    key = (run.location, translated.id)
    with _KEPT_GUARD:
        kept = _KEPT.get(key)
    if kept is None or kept.translated is not translated:
        kept = _Kept(translated, tallies(translated), None, None)
        if glossary is not None:
            kept.glossary, kept.names = glossary, glossary.plan_names(translated.plan)
        with _KEPT_GUARD:
            while len(_KEPT) >= EDITING_KEPT:
                _KEPT.pop(next(iter(_KEPT)))
            _KEPT[key] = kept
    elif kept.glossary is not glossary:
        kept.glossary = glossary
        kept.names = glossary.plan_names(translated.plan) if glossary is not None else None
    return kept


def _count(
    kept: _Kept, translated: TranslatedArticle, decided: set[tuple[str, int]], sign: int
) -> None:
    """Add (or take away) the decided segments' share of the article's counts."""
    for lang, segment in decided:
        rows = translated.translations.get(lang)
        if rows is not None and 0 <= segment < len(rows):
            kept.tallies[lang].add(rows[segment], sign)


def _publishes(run: Run, kept: _Kept, lang: str) -> bool:
    """Whether something of ``lang`` is publishable as the article stands: every segment
    approved (``<lang>.reviewed.txt``, a usable ninjs), or no decision yet and a
    ``<lang>.ninjs.json`` of the machine translation, usable until a decision withholds it.
    A decision that leaves a language unpublishable before and after may wait in the log."""
    tally = kept.tallies.get(lang)
    if tally is None:
        return False
    if tally.decided == 0:
        return run.has_article_file(kept.translated.id, layout.ninjs_file(lang))
    return tally.reviews().publishable


def refresh_articles(run: Run, article_ids: Iterable[str]) -> bool:
    """:func:`refresh_summary` for stored articles named by id; the caller holds the run's
    lock. An article the saves of this process keep parsed is not read again, and its
    counts are the ones they kept up to date (a long article costs no more than a short one)."""
    articles, counted = [], {}
    for article_id in article_ids:
        translated, _ = run.article_for_decisions(article_id)
        with _KEPT_GUARD:
            kept = _KEPT.get((run.location, article_id))
        if kept is not None and kept.translated is translated:
            counted[article_id] = kept.tallies
        articles.append(translated)
    return refresh_summary(run, articles, counted)


def refresh_summary(
    run: Run,
    articles: Iterable[TranslatedArticle],
    counted: Mapping[str, Mapping[str, Tally]] | None = None,
) -> bool:
    """Bring ``run.json`` up to date with stored articles; the caller holds the run's lock.

    The report index is rendered again only when a count it shows changed (a flag added);
    review counts live in ``run.json``. Returns whether anything was written.
    """
    summary = run.read_summary()
    where = {o.id: i for i, o in enumerate(summary.outcomes) if o.status == Status.DONE}
    changed = shown = False
    for translated in articles:
        position = where.get(translated.id)
        if position is None:
            continue
        old = summary.outcomes[position]
        new = outcome_of(
            translated, resumed=old.resumed, counted=(counted or {}).get(translated.id)
        )
        new.engine = old.engine
        if new.targets == old.targets and new.segments == old.segments:
            continue
        summary.outcomes[position] = new
        changed = True
        shown = shown or _index_counts(new) != _index_counts(old)
    if changed:
        run.write_summary(summary)
    if shown:
        run.write_stream(layout.REPORT, render_index(summary))
    return changed


def _index_counts(outcome: ArticleOutcome) -> dict[str, TargetSummary]:
    """What the report index shows of an article's targets (counts, publishability)."""
    return {
        lang: replace(info, engine=None, pseudo=False) for lang, info in outcome.targets.items()
    }
