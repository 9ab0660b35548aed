"""Reviewed XLIFF back into its run and the translation memory (``l10n xliff import``).

The files l10n writes name each article in ``<file original="<article>/source.txt">``, carry
the target language on the file and use the segment index as the unit id. A unit comes back
as a review decision when a reviewer did something to it in a CAT tool: its target differs
from the one exported, or its state (or ``approved`` attribute) changed from the exported
one. It is approved unless its state says it still needs work (``needs-review-*``, ``new``,
``initial``…, or ``approved="no"``), which makes it a rejection keeping the reviewer's text.
Every unit that does not fit the run (unknown article or unit id, another language, a source
text that changed) is refused and reported; the rest imports.

XLIFF 1.2 and 2.x are read by :mod:`l10n.formats.xliff` (no DTD, no entity, no network);
a 2.x unit split into several segments is refused, since a segment of the run is one unit.
Inline codes (``<g>``, ``<x/>``, ``<bpt>``/``<ept>``, ``<ph>``, 2.x ``<pc>``, ``<sc/>``/``<ec/>``
…) are weighed against the codes the run keeps for the segment's source: a target that keeps
them all, each pair in order, imports with the reviewer's placement; one that loses, adds or
unpairs a code is refused, naming the codes (the CLI adds the file and the unit's line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from l10n.errors import L10nError
from l10n.formats.xliff import (
    XliffError,
    XliffFile,
    XliffUnit,
    code_label,
    code_problem,
    inline_codes_of,
    parse_xliff,
    same_codes,
)
from l10n.formats.xml import xml_safe
from l10n.glossary import Glossary
from l10n.models import (
    Channel,
    Inline,
    InlineCode,
    ReviewStatus,
    Segment,
    TranslatedArticle,
    Translation,
)
from l10n.review.decisions import Decision, clean_text, refresh_summary, save_decisions
from l10n.review.files import compact
from l10n.review.interchange import (
    REVIEW_NOTE,
    review_line,
    target_inline,
    xliff_state,
    xliff_target,
)
from l10n.run import layout
from l10n.run.codec import review_counts
from l10n.run.store import Run
from l10n.text.languages import normalise_code, script_mismatch

MAX_BYTES = 50_000_000
ORIGINAL_SUFFIX = f"/{layout.SOURCE}"

REVIEWED_STATES_1 = frozenset({"translated", "final", "signed-off"})
REVIEWED_STATES_2 = frozenset({"translated", "reviewed", "final"})
# What a file exported by l10n (XLIFF 1.2 states) reads as in XLIFF 2.0's four states, so an
# untouched file converted to 2.0 by a CAT tool imports as unchanged.
STATE_1_TO_2 = {
    "signed-off": "final",
    "final": "final",
    "translated": "translated",
    "needs-review-translation": "translated",
    "needs-translation": "initial",
}

_SPACE_RE = re.compile(r"\s+")
_UNIT_ID_RE = re.compile(r"[0-9]{1,9}")
"""Unit ids l10n writes: ASCII digits (``¹`` or ``٢`` are digits to Python, not to l10n)."""


class XliffReadError(L10nError):
    """A file that is not readable XLIFF (exit status 2)."""

    exit_code = 2


@dataclass(frozen=True)
class ReviewedUnit:
    """One unit as a reviewer sent it back, with the attributes of the file it sits in."""

    original: str
    source_language: str
    target_language: str
    unit_id: str
    source: str
    target: str | None
    state: str | None
    approved: str | None
    comment: str
    version: int
    segments: int = 1
    source_inline: Inline = ()
    """The source with its inline codes, ``()`` when it has none; so is the target's."""
    target_inline: Inline = ()
    line: int | None = None
    known_reviews: tuple[str, ...] = ()
    """The unit's ``l10n-review`` notes: the review each segment had when l10n wrote the file."""


@dataclass
class UnitResult:
    """What became of one unit: ``approved``, ``rejected``, ``unchanged`` or ``refused``."""

    original: str
    unit_id: str
    outcome: str
    reason: str = ""
    article: str | None = None
    lang: str | None = None
    segment: int | None = None
    line: int | None = None


@dataclass
class ImportReport:
    path: str
    run: str
    units: list[UnitResult] = field(default_factory=list)
    memory_approved: int = 0
    memory_notes: list[str] = field(default_factory=list)
    memory_error: bool = False
    publishable: dict[str, str] = field(default_factory=dict)
    """``<article> <lang>`` → ``publishable: …`` for every language a save touched."""

    def count(self, outcome: str) -> int:
        return sum(1 for u in self.units if u.outcome == outcome)

    @property
    def refused(self) -> list[UnitResult]:
        return [u for u in self.units if u.outcome == "refused"]


def read_xliff(path: Path) -> list[ReviewedUnit]:
    """Every unit of an XLIFF 1.2 or 2.x file; XliffReadError when it is not one."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise XliffReadError(
                f"{path}: {size // 1_000_000} MB is too large for an XLIFF of articles — split it"
            )
        data = path.read_bytes()
    except OSError as exc:
        problem = exc.strerror or exc
        raise XliffReadError(f"{path}: can't read ({problem}) — check the path") from exc
    try:
        document = parse_xliff(data)
    except XliffError as exc:
        where = f" at line {exc.line}" if exc.line else ""
        raise XliffReadError(
            f"{path}: {exc.message}{where} — export it again as XLIFF from the CAT tool"
        ) from exc
    return [
        _reviewed(file, unit, document.version)
        for file in document.files
        for unit in file.units
        if unit.segments
    ]


def _reviewed(file: XliffFile, unit: XliffUnit, version: int) -> ReviewedUnit:
    """A unit as the import weighs it: its first segment, and how many it has."""
    segment = unit.segments[0]
    comments = (note.text for note in unit.notes if not (note.author or "").startswith("l10n"))
    return ReviewedUnit(
        original=file.original or "",
        source_language=file.source_language or "",
        target_language=file.target_language or "",
        unit_id=unit.id,
        source=segment.source,
        target=segment.target,
        state=segment.state,
        approved=unit.approved,
        comment="\n".join(c for c in comments if c),
        version=version,
        segments=len(unit.segments),
        source_inline=segment.source_inline,
        target_inline=segment.target_inline,
        line=segment.line or unit.line,
        known_reviews=tuple(note.text for note in unit.notes if note.author == REVIEW_NOTE),
    )


def find_run(path: Path) -> Path | None:
    """The run folder an exported XLIFF still sits in (``<run>/<article>/<lang>.xlf``)."""
    for folder in list(path.resolve().parents)[:3]:
        if (folder / layout.RUN_FILE).is_file():
            return folder
    return None


def _same_source(a: str, b: str) -> bool:
    """Equal but for white space, which CAT tools may normalise."""
    return _SPACE_RE.sub("", a) == _SPACE_RE.sub("", b)


def _decide(
    unit: ReviewedUnit, translation: Translation, pseudo: bool, codes_moved: bool = False
) -> tuple[ReviewStatus, str | None] | None:
    """(status, text) of the decision a unit holds, or None when it holds none."""
    if unit.target is None:
        return None
    text = clean_text(unit.target)
    exported_state = xliff_state(translation, pseudo)
    if unit.version == 1:
        reviewed = unit.state in REVIEWED_STATES_1
        state_changed = unit.state is not None and unit.state != exported_state
    else:
        reviewed = unit.state in REVIEWED_STATES_2
        state_changed = unit.state is not None and unit.state != STATE_1_TO_2.get(exported_state)
    approved_attr = (unit.approved or "").lower()
    not_yet = approved_attr == "no" or (unit.state is not None and not reviewed)
    status = ReviewStatus.REJECTED if not_yet else ReviewStatus.APPROVED
    text_changed = text != clean_text(xml_safe(xliff_target(translation)))
    signed = approved_attr == "yes" and not (
        translation.review is not None and translation.review.status == "approved"
    )
    if not (text_changed or state_changed or signed or codes_moved):
        return None
    review = translation.review
    if review is not None and review.status == status and review.text == text and not codes_moved:
        return None
    return status, text


def import_xliff(
    path: Path,
    run: Run,
    *,
    reviewer: str,
    memory_location: str | None,
    glossary: Glossary | None = None,
) -> ImportReport:
    """Import one XLIFF file into ``run``: one save per article, refusals per unit."""
    units = read_xliff(path)
    report = ImportReport(str(path), run.location)
    done = {o.id for o in run.read_summary().done}
    by_article: dict[str, list[tuple[ReviewedUnit, UnitResult]]] = {}
    stored: list[TranslatedArticle] = []
    for unit in units:
        result = UnitResult(unit.original, unit.unit_id, "refused", line=unit.line)
        report.units.append(result)
        article_id = unit.original.removesuffix(ORIGINAL_SUFFIX)
        if not unit.original.endswith(ORIGINAL_SUFFIX) or article_id not in done:
            result.reason = (
                f"unknown article: file original={unit.original!r} names no article of run "
                f"{run.run_id} (expected <article>{ORIGINAL_SUFFIX})"
            )
            continue
        result.article = article_id
        by_article.setdefault(article_id, []).append((unit, result))
    for article_id, items in by_article.items():
        translated = run.read_article(article_id)
        decisions: list[Decision] = []
        taken: list[UnitResult] = []
        seen: set[tuple[str, int]] = set()
        for unit, result in items:
            decision = _unit_decision(unit, result, translated, reviewer, seen)
            if decision is not None:
                decisions.append(decision)
                taken.append(result)
        if not decisions:
            continue
        try:
            saved = save_decisions(
                run,
                article_id,
                decisions,
                glossary=glossary,
                memory_location=memory_location,
                refresh=False,
            )
        except L10nError as exc:  # a locked run, a full disk: these units are not saved
            for result in taken:
                result.outcome, result.reason = "refused", f"not saved: {exc}"
            continue
        stored.append(saved.article)
        for lang in sorted({d.lang for d in decisions}):
            verdict = review_counts(saved.article.translations[lang]).verdict()
            report.publishable[f"{article_id} {lang}"] = verdict
        report.memory_approved += saved.memory_approved
        if saved.memory_note and saved.memory_note not in report.memory_notes:
            report.memory_notes.append(saved.memory_note)
        report.memory_error = report.memory_error or saved.memory_error
        for result, decision in zip(taken, decisions, strict=True):
            result.outcome = decision.status
    if stored:  # run.json once for the whole file: it can be large
        with run.lock():
            for translated in stored:  # its XLIFF, draft and report show the import at once
                compact(run, translated.id)
            refresh_summary(run, stored)
    return report


def _unit_decision(
    unit: ReviewedUnit,
    result: UnitResult,
    translated: TranslatedArticle,
    reviewer: str,
    seen: set[tuple[str, int]],
) -> Decision | None:
    """The unit's decision, or None with ``result`` saying why (refused or unchanged)."""
    lang = normalise_code(unit.target_language) if unit.target_language else ""
    result.lang = lang or None
    if lang not in translated.translations:
        known = ", ".join(translated.translations)
        result.reason = (
            f"wrong language: the file's target language is {unit.target_language or 'missing'!r}"
            f"; article {translated.id} has {known}"
        )
        return None
    if unit.source_language and normalise_code(unit.source_language) != normalise_code(
        translated.source_language
    ):
        result.reason = (
            f"wrong language: the file's source language is {unit.source_language!r}; article "
            f"{translated.id} is in {translated.source_language!r}"
        )
        return None
    if not _UNIT_ID_RE.fullmatch(unit.unit_id) or int(unit.unit_id) >= len(
        translated.plan.segments
    ):
        result.reason = (
            f"unknown unit id {unit.unit_id!r}: article {translated.id} has units 0 to "
            f"{len(translated.plan.segments) - 1}"
        )
        return None
    index = int(unit.unit_id)
    result.segment = index
    if (lang, index) in seen:
        result.reason = f"unit {index} appears twice for {lang} — keep one"
        return None
    seen.add((lang, index))
    if unit.segments > 1:
        result.reason = f"unit {index} was split into {unit.segments} segments — join them again"
        return None
    segment = translated.plan.segments[index]
    if not _same_source(unit.source, xml_safe(segment.text)):
        result.reason = (
            f"source text changed: unit {index} reads {unit.source[:80]!r}, the run has "
            f"{segment.text[:80]!r}"
        )
        return None
    problem = _code_problem(unit, segment)
    if problem:
        result.reason = f"unit {index}: {problem}"
        return None
    translation = translated.translations[lang][index]
    moved = bool(segment.inline) and not _same_parts(
        unit.target_inline, target_inline(segment, translation)
    )
    decided = _decide(unit, translation, translated.is_pseudo(lang), moved)
    if decided is None:
        result.outcome = "unchanged"
        return None
    stale = _decided_since(unit, translation)
    if stale:
        result.reason = (
            f"unit {index} ({lang}) was decided after this file was written ({stale}) — "
            f"take the run's current {lang}.xlf (`l10n report RUN` brings it up to date) and "
            "make the change there, or make it in the review app"
        )
        return None
    status, text = decided
    wrong = script_mismatch(text, lang) if text else None
    if wrong:
        result.reason = f"wrong language: unit {index}'s target is labelled {lang}, but {wrong}"
        return None
    if status == "approved" and not text:
        result.reason = f"unit {index}: empty target marked as reviewed — translate or reject it"
        return None
    return Decision(
        segment=index,
        lang=lang,
        status=status,
        reviewer=reviewer,
        text=text,
        comment=unit.comment,
        origin=Channel.XLIFF,
        inline=unit.target_inline if segment.inline else (),
    )


def _decided_since(unit: ReviewedUnit, translation: Translation) -> str | None:
    """The run's review of the segment when the file doesn't know it (it was made after the
    file was written, as the app's stale saves are refused); None when the file knows it."""
    review = translation.review
    if review is None:
        return None
    line = review_line(review)
    if any(note.startswith(line) for note in unit.known_reviews):
        return None
    return line


def _listed(codes: tuple[InlineCode, ...]) -> str:
    return ", ".join(code_label(code) for code in codes) or "none"


def _code_problem(unit: ReviewedUnit, segment: Segment) -> str | None:
    """Why the unit's inline codes don't fit the run's segment; None when they do.

    The source must hold the codes the run's source has (l10n exported them), and the
    target must keep them all, each pair in order (:func:`code_problem`).
    """
    if not same_codes(unit.source_inline, segment.inline):
        return (
            f"the source holds inline code(s) {_listed(inline_codes_of(unit.source_inline))}, "
            f"the run's source {_listed(inline_codes_of(segment.inline))} — export the unit "
            "from the run again and translate that file"
        )
    if unit.target is None:
        return None
    problem = code_problem(segment.inline, unit.target_inline)
    if problem is None:
        return None
    return (
        f"{problem} (the source has {_listed(inline_codes_of(segment.inline))}) — fix the "
        "codes in the CAT tool and import again"
    )


def _same_parts(a: Inline, b: Inline) -> bool:
    """Same text (up to white space) and the same codes in the same places."""

    def shape(parts: Inline) -> list[object]:
        return [
            " ".join(p.split()) if isinstance(p, str) else (p.kind, p.key)
            for p in parts
            if not isinstance(p, str) or p.strip()
        ]

    return shape(a) == shape(b)
