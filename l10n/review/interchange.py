"""XLIFF and TMX exports, so a run can continue in any CAT tool or feed a translation memory.

XLIFF 1.2 (one file per article and language) carries everything a post-editor needs: the
corrected text (or the text a reviewer approved) as the target, the raw MT as an ``alt-trans``
proposal and the glossary edits, QA flags and review decisions as notes. Target states follow
the review: approved → ``signed-off`` (and ``approved="yes"``), rejected →
``needs-review-translation``; so a file exported after review and imported again changes nothing.
TMX 1.4b (one file per run) carries the corrected pairs (the reviewed text where approved); it is
written as a stream of per-article fragments, so a run of any size builds it in flat memory.
Pseudo-localized runs are marked in both, so their text never passes for a translation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from l10n.formats.tmx import (
    TmxHeader,
    TmxNote,
    TmxProp,
    TmxUnit,
    TmxVariant,
    tmx_document,
    unit_bytes,
)
from l10n.formats.xliff import (
    XliffAlternative,
    XliffFile,
    XliffNote,
    XliffSegment,
    XliffUnit,
    code_problem,
    inline_codes_of,
    inline_text,
    render_xliff_12,
)
from l10n.models import Inline, Review, Segment, TranslatedArticle, Translation
from l10n.run import layout

TOOL = "l10n"
REVIEW_NOTE = "l10n-review"
"""The author of the note that says which review a unit was exported with."""
PSEUDO_NOTE = "PSEUDO-LOCALIZED — not a translation"
CODES_AT_END_NOTE = (
    "the source's inline codes follow the text: no reviewer has placed them in this "
    "translation yet — move them where they belong"
)


def render_xliff(translated: TranslatedArticle) -> dict[str, bytes]:
    """``<lang>.xlf`` (XLIFF 1.2) for every target language of the article."""
    return {
        layout.xliff_file(lang): render_xliff_12(
            [_xliff_file(translated, lang, translated.is_pseudo(lang))], tool=TOOL
        )
        for lang in translated.translations
    }


def _xliff_file(article: TranslatedArticle, lang: str, pseudo: bool) -> XliffFile:
    notes = [XliffNote(f"{article.article.title} ({article.article.input_path})", TOOL)]
    engine = article.engines.get(lang)
    if engine is not None:  # the engine or registered model that made this language
        notes.append(XliffNote(f"machine translation: {engine.name}", "l10n-engine"))
    if pseudo:
        notes.append(XliffNote(PSEUDO_NOTE, TOOL, priority=1))
    units = []
    for segment, view in zip(article.plan.segments, article.translations[lang], strict=True):
        alternatives = [XliffAlternative("l10n-mt", lang, view.mt)]
        if xliff_target(view) != view.final:
            alternatives.append(XliffAlternative("l10n-glossary", lang, view.final))
        unit_notes = [XliffNote(text, origin) for origin, text in _notes(view)]
        if segment.inline and not placed(segment, view):
            unit_notes.append(XliffNote(CODES_AT_END_NOTE, "l10n-inline"))
        units.append(
            XliffUnit(
                id=str(segment.index),
                resname="title" if segment.paragraph < 0 else f"p{segment.paragraph}",
                preserve_space=True,
                approved="yes" if is_signed_off(view, pseudo) else None,
                segments=(
                    XliffSegment(
                        segment.text,
                        xliff_target(view),
                        xliff_state(view, pseudo),
                        source_inline=segment.inline,
                        target_inline=target_inline(segment, view),
                    ),
                ),
                notes=tuple(unit_notes),
                alternatives=tuple(alternatives),
            )
        )
    return XliffFile(
        original=f"{article.id}/{layout.SOURCE}",
        source_language=article.source_language,
        target_language=lang,
        notes=tuple(notes),
        units=tuple(units),
    )


def xliff_target(view: Translation) -> str:
    """The target text an exported unit carries: the approved review's, else the corrected."""
    return view.reviewed


def _flat(text: str) -> str:
    return " ".join(text.split())


def placed(segment: Segment, view: Translation) -> bool:
    """Whether a reviewer placed the source's inline codes in the target the unit carries."""
    review = view.review
    return (
        review is not None
        and bool(review.inline)
        and _flat(inline_text(review.inline)) == _flat(xliff_target(view))
        and code_problem(segment.inline, review.inline) is None
    )


def target_inline(segment: Segment, view: Translation) -> Inline:
    """The exported target with the source's inline codes (``()`` when the source has none):
    where a reviewer placed them, else after the text, for the reviewer to move."""
    if not segment.inline:
        return ()
    if view.review is not None and placed(segment, view):
        return view.review.inline
    text = xliff_target(view)
    return ((text,) if text else ()) + inline_codes_of(segment.inline)


def is_signed_off(view: Translation, pseudo: bool) -> bool:
    return not pseudo and view.review is not None and view.review.status == "approved"


def xliff_state(view: Translation, pseudo: bool) -> str:
    """The XLIFF 1.2 ``state`` of a segment's target, from its review and its flags."""
    if pseudo:
        return "needs-translation"
    if view.review is not None:
        return "signed-off" if view.review.status == "approved" else "needs-review-translation"
    if view.flags or view.unresolved:
        return "needs-review-translation"
    return "translated"


def _notes(view: Translation) -> list[tuple[str, str]]:
    notes = [
        ("l10n-glossary", f"{c.entry_id}: {c.before} → {c.after} ({c.rule})") for c in view.changes
    ]
    notes += [("l10n-glossary", f"unresolved: {entry}") for entry in view.unresolved]
    notes += [("l10n-qa", f"{f.severity} {f.code}: {f.message}") for f in view.flags]
    if view.provenance:
        notes.append(("l10n-memory", f"reused from the translation memory: {view.provenance}"))
    if view.review is not None:
        review = view.review
        line = review_line(review)
        notes.append((REVIEW_NOTE, f"{line}: {review.comment}" if review.comment else line))
    return notes


def review_line(review: Review) -> str:
    """How a unit's ``l10n-review`` note names the review the file was written with."""
    return f"{review.status} by {review.reviewer} at {review.time} ({review.origin})"


def _run_moment(stamp: object) -> datetime:
    """The run's own timestamp (so output is reproducible), else now."""
    try:
        return datetime.fromisoformat(str(stamp))
    except ValueError:
        return datetime.now(UTC)


def tmx_units(translated: TranslatedArticle) -> bytes:
    """The ``<tu>`` elements of one article's corrected pairs (copied segments left out)."""
    parts = []
    for segment in translated.plan.segments:
        for lang, rows in translated.translations.items():
            view = rows[segment.index]
            if view.origin == "copy":
                continue
            source_lang = translated.plan.source_lang(segment)
            meta: tuple[TmxProp | TmxNote, ...] = (
                TmxProp("x-l10n-article", translated.id),
                TmxProp("x-l10n-segment", str(segment.index)),
            )
            if translated.is_pseudo(lang):  # per target: a provided draft beside it is not
                meta += (TmxProp("x-l10n-pseudo", "true"), TmxNote(PSEUDO_NOTE))
            unit = TmxUnit(
                tuid=f"{translated.id}:{segment.index}:{lang}",
                srclang=source_lang,
                meta=meta,
                variants=(TmxVariant(source_lang, segment.text), TmxVariant(lang, view.reviewed)),
            )
            parts.append(unit_bytes(unit))
    return b"".join(parts)


def run_tmx_document(
    run_id: str,
    stamp: str | None,
    source_languages: Iterable[str],
    pseudo: bool,
    units: Iterable[bytes],
    some_pseudo: bool = False,
) -> Iterable[bytes]:
    """The run's TMX 1.4b file, in pieces: header, the given ``<tu>`` fragments, footer.

    ``pseudo``: every unit is pseudo-localized (the header says so); ``some_pseudo``: some
    are (the header points at the units' own ``x-l10n-pseudo``)."""
    languages = sorted(set(source_languages))
    meta: list[TmxProp | TmxNote] = [TmxProp("x-l10n-run", run_id)]
    if pseudo:
        meta += [TmxNote(PSEUDO_NOTE), TmxProp("x-l10n-pseudo", "true")]
    elif some_pseudo:
        meta += [TmxNote(f"Units with x-l10n-pseudo are {PSEUDO_NOTE}")]
    header = TmxHeader(
        srclang=languages[0] if len(languages) == 1 else None,
        o_tmf="l10n-run",
        created=_run_moment(stamp),
        meta=tuple(meta),
    )
    return tmx_document(header, units)
