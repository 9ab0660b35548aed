"""Each target language of a ninjs article as ninjs: what a run writes and ``l10n export`` redoes.

The translated text is the text to publish — a reviewer's approved text where there is
one, else the corrected machine translation — put back into the source item's fields and
markup by ``l10n.formats.ninjs``. The editor's note (``ednote``/``edNote``) names the engine,
the review state, unresolved names and a declared language that detection disagrees with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from l10n.errors import L10nError
from l10n.formats.ninjs import NinjsError, TargetText, write_item
from l10n.models import (
    Action,
    FlagCode,
    QAFlag,
    ReviewStatus,
    TranslatedArticle,
)
from l10n.run import layout
from l10n.run.codec import PSEUDO_LABEL, encode_json
from l10n.run.store import Run
from l10n.text.languages import normalise_code, sentence_joiner


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


def flag_language(translated: TranslatedArticle) -> None:
    """Flag the title (else first) segment of every target when declaration and detection
    disagree: the declared language was used, the reviewer should know it may be wrong."""
    meta = translated.article.ninjs
    message = language_mismatch(meta) if meta else None
    if message is None:
        return
    for rows in translated.translations.values():
        if rows and not any(f.code == FlagCode.LANGUAGE_MISMATCH for f in rows[0].flags):
            rows[0].flags.append(QAFlag(FlagCode.LANGUAGE_MISMATCH, message))


def render(translated: TranslatedArticle, lang: str) -> Rendered:
    """The ninjs item of ``lang`` for an article read from ninjs (NinjsError otherwise)."""
    meta = translated.article.ninjs
    if not meta:
        raise NinjsError(f"article {translated.id} was not read from a ninjs item")
    rows = translated.translations[lang]
    segments = translated.plan.segments
    joiner = sentence_joiner(lang)
    pieces: dict[int, list[str]] = {}
    for seg, row in zip(segments, rows, strict=True):
        pieces.setdefault(seg.paragraph, []).append(row.reviewed.strip())
    count = len(translated.article.paragraphs)
    paragraphs = [joiner.join(pieces.get(n, [])) for n in range(count)]
    target = TargetText(
        lang,
        joiner.join(pieces.get(-1, [])),
        paragraphs,
        editor_note(translated, lang),
        pseudo=translated.is_pseudo(lang),
        joiner=joiner,
    )
    item, unplaced = write_item(meta["item"], meta["layout"], target)
    return Rendered(lang, item, unplaced)


def editor_note(translated: TranslatedArticle, lang: str) -> str:
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
    approved = sum(1 for t in rows if t.review and t.review.status == ReviewStatus.APPROVED)
    rejected = sum(1 for t in rows if t.review and t.review.status == ReviewStatus.REJECTED)
    state = (
        f"Review: {approved} approved, {rejected} rejected, "
        f"{len(rows) - approved - rejected} open of {len(rows)} segment(s)."
    )
    notes = [what, state]
    unresolved = sorted({name for t in rows for name in t.unresolved})
    if unresolved:
        notes.append(f"Names without a glossary rendering: {', '.join(unresolved)}.")
    meta = translated.article.ninjs or {}
    mismatch = language_mismatch(meta)
    if mismatch:
        notes.append(mismatch[0].upper() + mismatch[1:] + ".")
    return " ".join(notes)


def ninjs_files(translated: TranslatedArticle) -> dict[str, bytes]:
    """``source.ninjs.json`` and ``<lang>.ninjs.json`` for an article read from ninjs; the
    language check's flag is added first. Nothing for other articles."""
    meta = translated.article.ninjs
    if not meta:
        return {}
    flag_language(translated)
    files = {layout.SOURCE_NINJS: encode_json(meta)}
    for lang in translated.translations:
        files[layout.ninjs_file(lang)] = encode_json(render(translated, lang).item)
    return files


def stored_meta(run: Run, translated: TranslatedArticle) -> dict[str, Any]:
    """The ninjs source an article was stored with; for an article read from another
    format, a plain 3.x item made of its title and paragraphs (uri ``urn:l10n:RUN:ID``)."""
    rel = layout.article_file(translated.id, layout.SOURCE_NINJS)
    if run.storage.exists(rel):
        try:
            meta = json.loads(run.storage.read(rel).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NinjsError(f"{run.display(rel)}: not JSON ({exc}) — re-run the run") from exc
        if not isinstance(meta, dict) or "item" not in meta or "layout" not in meta:
            raise NinjsError(f"{run.display(rel)}: not a stored ninjs source — re-run the run")
        return meta
    article = translated.article
    item: dict[str, Any] = {
        "uri": f"urn:l10n:{run.run_id}:{article.id}",
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


@dataclass
class Exported:
    """What ``export_ninjs`` wrote, and what an editor should look at."""

    written: list[str]
    unplaced: dict[str, list[str]]
    failed: dict[str, str]


def article_items(run: Run, article_id: str) -> list[Rendered]:
    """Every target of a stored article as ninjs, reviewed text included."""
    translated = run.read_article(article_id)
    translated.article.ninjs = stored_meta(run, translated)
    return [render(translated, lang) for lang in translated.translations]


def export_ninjs(run: Run, out: Path | None = None) -> Exported:
    """``<article>/<lang>.ninjs.json`` for every article of ``run``, in it or under ``out``.

    An article that cannot be read is listed in ``failed``; the others are written.
    """
    result = Exported([], {}, {})
    for article_id in run.article_ids():
        try:
            rendered = article_items(run, article_id)
        except L10nError as exc:
            result.failed[article_id] = str(exc)
            continue
        files = {layout.ninjs_file(r.lang): encode_json(r.item) for r in rendered}
        if out is None:
            run.write_article_files(article_id, files)
            where = run.display(article_id)
        else:
            folder = out / article_id
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                (folder / name).write_bytes(data)
            where = str(folder)
        result.written += [f"{where}/{name}" for name in files]
        for r in rendered:
            if r.unplaced:
                result.unplaced[f"{article_id}/{r.lang}"] = r.unplaced
    return result
