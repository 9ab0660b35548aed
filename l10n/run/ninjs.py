"""An article's target languages as IPTC ninjs, under the publish rule of its review files.

The one place that turns a stored article into ``<lang>.ninjs.json`` (the format itself is
``l10n.formats.ninjs``'s): a run writes it, the run owner rewrites it after every review
decision, ``l10n export`` and ``l10n push`` send it. The body follows the same rule as
``<lang>.reviewed.txt`` and ``<lang>.draft.txt``:

- every segment approved: the approved text, the source's ``pubstatus`` kept;
- some decision, not all approved: the draft (approved text where approved, every other
  segment marked ``[REJECTED]``, ``[NOT REVIEWED]`` or ``[NEEDS RE-CHECK]``) with
  ``pubstatus`` ``withheld`` — a rejected sentence never goes out as publishable;
- no decision yet: the corrected machine translation, as the run wrote it.

The editor's note (``ednote``/``edNote``) names the engine, the review state
(``publishable: yes|no (…)``), unresolved names and a declared language that detection
disagrees with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from l10n.formats.ninjs import NinjsError, TargetText, write_item
from l10n.models import Action, TranslatedArticle
from l10n.run.codec import PSEUDO_LABEL, draft_text, review_counts
from l10n.text.languages import normalise_code, sentence_joiner

__all__ = ["NinjsError", "Rendered", "editor_note", "language_mismatch", "plain_meta", "render"]


@dataclass
class Rendered:
    """One target's ninjs item and the inline markup that found no place in it."""

    lang: str
    item: dict[str, Any]
    unplaced: list[str]


def language_mismatch(meta: dict[str, Any]) -> str | None:
    """What to tell the editor when the declared language is not the one detected."""
    declared, detected = meta.get("declared"), meta.get("detected")
    if not declared or not detected:
        return None
    if normalise_code(str(declared)) == normalise_code(str(detected)):
        return None
    return (
        f'the item declares language "{declared}" but its text reads as "{detected}" — '
        "check the item's language before publishing"
    )


def render(
    translated: TranslatedArticle, lang: str, meta: dict[str, Any] | None = None
) -> Rendered:
    """The ninjs item of ``lang`` from ``meta`` (default: the article's own ninjs source)."""
    meta = meta if meta is not None else translated.article.ninjs
    if not meta:
        raise NinjsError(f"article {translated.id} was not read from a ninjs item")
    rows = translated.translations[lang]
    counts = review_counts(rows)
    decided = any(t.review is not None for t in rows)
    draft = decided and not counts.publishable
    joiner = sentence_joiner(lang)
    pieces: dict[int, list[str]] = {}
    for seg, row in zip(translated.plan.segments, rows, strict=True):
        text = draft_text(row) if draft else row.reviewed
        pieces.setdefault(seg.paragraph, []).append(text.strip())
    count = len(translated.article.paragraphs)
    inline = meta.get("inline")
    spans = inline.get(lang) if isinstance(inline, dict) else None
    target = TargetText(
        lang,
        joiner.join(pieces.get(-1, [])),
        [joiner.join(pieces.get(n, [])) for n in range(count)],
        editor_note(translated, lang, meta),
        pseudo=translated.is_pseudo(lang),
        joiner=joiner,
        spans=spans if isinstance(spans, dict) else {},
        withheld=draft,
    )
    item, unplaced = write_item(meta["item"], meta["layout"], target)
    return Rendered(lang, item, unplaced)


def editor_note(
    translated: TranslatedArticle, lang: str, meta: dict[str, Any] | None = None
) -> str:
    """Engine, review state and what to check, in one paragraph for ``ednote``."""
    rows = translated.translations[lang]
    source = translated.source_language
    engine = translated.engines.get(lang)
    if translated.plan.actions.get(lang) == Action.COPY:
        what = f"Source already in {lang}: text copied by l10n, not translated."
    elif translated.is_pseudo(lang):
        what = f"{PSEUDO_LABEL} (l10n engine pseudo); withheld."
    else:
        name = engine.name if engine else "unknown engine"
        what = f"Machine translation from {source} by l10n (engine {name})."
    counts = review_counts(rows)
    state = (
        f"Review: {counts.approved} approved, {counts.rejected} rejected, "
        f"{len(rows) - counts.approved - counts.rejected} open of {len(rows)} segment(s)"
    )
    if counts.publishable:
        state += "; publishable: yes (the approved text)."
    elif any(t.review is not None for t in rows):
        state += (
            f"; DRAFT — not for publication, {counts.verdict()}: segments not approved are "
            "marked [REJECTED], [NOT REVIEWED] or [NEEDS RE-CHECK]; withheld."
        )
    else:
        state += "; not reviewed yet (the corrected machine translation)."
    notes = [what, state]
    unresolved = sorted({name for t in rows for name in t.unresolved})
    if unresolved:
        notes.append(f"Names without a glossary rendering: {', '.join(unresolved)}.")
    mismatch = language_mismatch(meta or translated.article.ninjs or {})
    if mismatch:
        notes.append(mismatch[0].upper() + mismatch[1:] + ".")
    return " ".join(notes)


def plain_meta(translated: TranslatedArticle, run_id: str) -> dict[str, Any]:
    """For an article read from another format, a plain 3.x item made of its title and
    paragraphs (uri ``urn:l10n:RUN:ID``), in the shape of a stored ninjs source."""
    article = translated.article
    item: dict[str, Any] = {
        "uri": f"urn:l10n:{run_id}:{article.id}",
        "type": "text",
        "language": translated.source_language,
    }
    if article.title:
        item["headlines"] = [{"role": "main", "value": article.title}]
    if article.paragraphs:
        body = "\n\n".join(article.paragraphs)
        item["bodies"] = [{"role": "main", "contentType": "text/plain", "value": body}]
    spec = {"key": "bodies", "index": 0, "html": False, "separator": "\n\n", "copy_of": None}
    fields = [{**spec, "blocks": len(article.paragraphs)}] if article.paragraphs else []
    return {"item": item, "layout": fields, "declared": None, "detected": None}
