"""One rendering of a name, chosen by a reviewer, applied to every segment written otherwise.

The review app's names panel lists each name of a run (or of one article) with its
renderings per language. Choosing one rendering rewrites, in each segment the page listed
as writing that name otherwise, the located span; after a Korean name the particle is made
to agree with the new last syllable (은/는, 이/가, 을/를 …). Each rewrite is
saved as the reviewer's edit: status ``edited`` (the text the segment publishes, still to
be approved), origin ``names``, and a comment saying what was replaced. The save goes through
:func:`~l10n.review.decisions.save_decisions`, so the stale-write check, the flags of the
new text and the article's files are the same as for any decision; then the run's names
pass runs again, so ``name-inconsistent`` follows the new texts.

Nothing is written when any listed segment changed since the page was loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from l10n.glossary import Glossary
from l10n.glossary.korean_particles import attach
from l10n.models import Channel, ReviewStatus, Status, TranslatedArticle
from l10n.review.decisions import (
    Decision,
    DecisionError,
    clean_text,
    save_decisions,
    version_of,
)
from l10n.review.name_consistency import check_run_names, located
from l10n.review.report import render_index
from l10n.run import layout
from l10n.run.ids import now_iso
from l10n.run.store import Run
from l10n.run.summary import outcome_of

MAX_SEGMENTS = 10_000
"""Segments one choice may rewrite."""


@dataclass(frozen=True)
class NameChoice:
    """Write ``form`` (of the name ``key``) as ``text`` in ``lang``, in the listed segments.

    ``segments``: (article id, segment, review version as the page loaded it).
    """

    lang: str
    key: str
    form: str
    text: str
    reviewer: str
    segments: tuple[tuple[str, int, str], ...]


@dataclass(frozen=True)
class NameEdit:
    """A segment's published text with the name's other renderings replaced."""

    segment: int
    text: str
    before: tuple[str, ...]


@dataclass
class ChoiceResult:
    edited: list[str] = field(default_factory=list)
    """``article#segment`` rewritten."""
    unchanged: list[str] = field(default_factory=list)
    """Listed segments that already wrote the chosen rendering (or no longer the name)."""
    inconsistent: int = 0
    """Segments of the run still flagged ``name-inconsistent`` after the choice."""


class StaleNames(DecisionError):
    """Listed segments changed since the page was loaded; nothing was written."""

    def __init__(self, wheres: list[str]) -> None:
        self.wheres = wheres
        shown = ", ".join(wheres[:5]) + (f" and {len(wheres) - 5} more" if len(wheres) > 5 else "")
        super().__init__(
            f"{len(wheres)} segment(s) changed since you loaded the page ({shown}) — nothing "
            "was written; reload and choose again"
        )


def _replace(text: str, start: int, end: int, chosen: str, lang: str) -> str:
    if lang == "ko":
        return text[:start] + attach(chosen, text[end:])
    return text[:start] + chosen + text[end:]


def name_edits(
    translated: TranslatedArticle,
    glossary: Glossary | None,
    choice: NameChoice,
    segments: Iterable[int] | None = None,
) -> list[NameEdit]:
    """The edits that write ``choice.form`` as ``choice.text`` in ``translated`` (only in
    ``segments`` when given), in segment order."""
    wanted = None if segments is None else set(segments)
    spans: dict[int, list[tuple[int, int, str]]] = {}
    texts: dict[int, str] = {}
    for row, found, occurrence in located(translated, glossary):
        if (
            occurrence.lang != choice.lang
            or occurrence.key != choice.key
            or occurrence.form != choice.form
            or occurrence.text == choice.text
            or (wanted is not None and row.segment not in wanted)
        ):
            continue
        spans.setdefault(row.segment, []).append((found.start, found.end, found.text))
        texts[row.segment] = row.reviewed
    out = []
    for segment in sorted(spans):
        text = texts[segment]
        for start, end, _ in sorted(spans[segment], reverse=True):
            text = _replace(text, start, end, choice.text, choice.lang)
        before = tuple(dict.fromkeys(t for _, _, t in spans[segment]))
        out.append(NameEdit(segment, text, before))
    return out


def _note(choice: NameChoice, edit: NameEdit) -> str:
    was = ", ".join(repr(b) for b in edit.before)
    return f"names panel: {choice.form!r} written {choice.text!r} (was {was})"


def apply_name_choice(
    run: Run,
    choice: NameChoice,
    *,
    glossary: Glossary | None,
    memory_location: str | None = None,
    time: str | None = None,
) -> ChoiceResult:
    """Save the choice as edits, then run the names pass again (see the module).

    Raises StaleNames (nothing written) when a listed segment's review changed since the
    page was loaded, DecisionError when the choice does not fit the run.
    """
    text = clean_text(choice.text)
    if not text or text != choice.text:
        raise DecisionError("the chosen rendering must be one line of text")
    if not choice.segments:
        raise DecisionError("no segment to rewrite — every segment already writes it so")
    if len(choice.segments) > MAX_SEGMENTS:
        raise DecisionError(f"at most {MAX_SEGMENTS} segments at a time")
    done = {o.id for o in run.read_summary().done}
    by_article: dict[str, dict[int, str]] = {}
    for article_id, segment, base in choice.segments:
        if article_id not in done:
            raise DecisionError(f"run {run.run_id} has no finished article {article_id!r}")
        by_article.setdefault(article_id, {})[segment] = base
    stale: list[str] = []
    for article_id, bases in by_article.items():
        rows = run.read_article(article_id).translations.get(choice.lang)
        if rows is None:
            raise DecisionError(f"{article_id}: no {choice.lang!r} translation")
        for segment, base in bases.items():
            if not 0 <= segment < len(rows):
                raise DecisionError(f"{article_id}: no segment {segment}")
            if version_of(rows[segment]) != base:
                stale.append(f"{article_id}#{segment}")
    if stale:
        raise StaleNames(stale)
    result = ChoiceResult()
    stamp = time or now_iso()
    edited: list[str] = []
    try:
        for article_id, bases in by_article.items():
            decisions = _decisions(run.read_article(article_id), glossary, choice, bases, result)
            if decisions:
                save_decisions(
                    run,
                    article_id,
                    decisions,
                    glossary=glossary,
                    memory_location=memory_location,
                    time=stamp,
                    refresh=False,
                )
                edited.append(article_id)
    except DecisionError:  # another process decided a segment meanwhile: keep what was saved
        if edited:  # consistent with the run's flags and counts
            _names_pass(run, glossary, edited)
        raise
    result.inconsistent = _names_pass(run, glossary, edited)
    return result


def _decisions(
    translated: TranslatedArticle,
    glossary: Glossary | None,
    choice: NameChoice,
    bases: dict[int, str],
    result: ChoiceResult,
) -> list[Decision]:
    edits = {e.segment: e for e in name_edits(translated, glossary, choice, bases)}
    decisions = []
    for segment, base in bases.items():
        where = f"{translated.id}#{segment}"
        edit = edits.get(segment)
        if edit is None:
            result.unchanged.append(where)
            continue
        row = translated.translations[choice.lang][segment]
        comment = row.review.comment if row.review is not None else ""
        note = _note(choice, edit)
        decisions.append(
            Decision(
                segment=segment,
                lang=choice.lang,
                status=ReviewStatus.EDITED,
                reviewer=choice.reviewer,
                text=edit.text,
                comment=f"{comment}\n{note}" if comment else note,
                origin=Channel.NAMES,
                base=base,
            )
        )
        result.edited.append(where)
    return decisions


def _names_pass(run: Run, glossary: Glossary | None, edited: list[str]) -> int:
    """The run's names pass again, and the summary and index with the edited articles;
    returns how many segments are still flagged name-inconsistent."""
    with run.lock():
        summary = run.read_summary()
        report = check_run_names(run, glossary, summary.outcomes)
        where = {o.id: i for i, o in enumerate(summary.outcomes) if o.status == Status.DONE}
        for article_id in edited:
            if article_id in report.rewritten:
                continue
            old = summary.outcomes[where[article_id]]
            new = outcome_of(run.read_article(article_id), resumed=old.resumed)
            new.engine = old.engine
            summary.outcomes[where[article_id]] = new
        run.write_summary(summary)
        run.write_stream(layout.REPORT, render_index(summary))
    return report.inconsistent
