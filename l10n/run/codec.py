"""Turning a TranslatedArticle into its stored files and back.

``segments.jsonl`` holds everything per segment (source, and per language the raw MT,
the final text, the glossary's changes, unresolved names, flags, and what was sent to
the engine when names were protected), so a stored article can be read back into the
same record the flow wrote and corrected again without translating.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from l10n.models import (
    Action,
    Article,
    ArticlePlan,
    Channel,
    DroppedLine,
    FlagCode,
    GlossaryChange,
    Inline,
    InlineCode,
    LanguageGuess,
    Origin,
    Protection,
    QAFlag,
    Review,
    ReviewCounts,
    ReviewStatus,
    Segment,
    Severity,
    Slot,
    SuspectLine,
    TargetEngine,
    TargetSummary,
    TranslatedArticle,
    Translation,
    to_jsonable,
)
from l10n.run import layout
from l10n.text.languages import sentence_joiner

PSEUDO_LABEL = "PSEUDO-LOCALIZED — not a translation"
PSEUDO_HEADER = f"# {PSEUDO_LABEL}\n\n"


class StoredFormatError(ValueError):
    """A stored file that is not what l10n writes; the message says what is wrong.

    ``row`` is the 0-based row of ``segments.jsonl`` at fault, when one is.
    """

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


def join_paragraphs(segments: list[Segment], texts: list[str], lang: str) -> str:
    """Rebuild the article's paragraph structure from per-segment texts."""
    joiner = sentence_joiner(lang)
    paragraphs: list[list[str]] = []
    last: int | None = None
    for seg, text in zip(segments, texts, strict=True):
        if seg.paragraph != last:
            paragraphs.append([])
            last = seg.paragraph
        paragraphs[-1].append(text.strip())
    return "\n\n".join(joiner.join(p) for p in paragraphs) + "\n"


def text_files(translated: TranslatedArticle) -> dict[str, bytes]:
    """``source.txt`` and, per language, the raw MT and the corrected text; pseudo-localized
    text says so in its first line."""
    plan = translated.plan
    files = {layout.SOURCE: (plan.article.text + "\n").encode("utf-8")}
    for lang, rows in translated.translations.items():
        copied = all(t.origin == Origin.COPY for t in rows)
        header = PSEUDO_HEADER if translated.is_pseudo(lang) and not copied else ""
        mt = join_paragraphs(plan.segments, [t.mt for t in rows], lang)
        final = join_paragraphs(plan.segments, [t.final for t in rows], lang)
        files[layout.mt_file(lang)] = (header + mt).encode("utf-8")
        files[layout.final_file(lang)] = (header + final).encode("utf-8")
        if not any(t.review is not None for t in rows):
            continue
        counts = review_counts(rows)
        if counts.publishable:
            reviewed = join_paragraphs(plan.segments, [t.reviewed for t in rows], lang)
            files[layout.reviewed_file(lang)] = (header + reviewed).encode("utf-8")
        else:
            draft = join_paragraphs(plan.segments, [draft_text(t) for t in rows], lang)
            note = f"# DRAFT — not for publication: {counts.verdict()}\n\n"
            files[layout.draft_file(lang)] = (header + note + draft).encode("utf-8")
    return files


DRAFT_MARKS = {
    None: "[NOT REVIEWED]",
    ReviewStatus.REJECTED: "[REJECTED]",
    ReviewStatus.NEEDS_RECHECK: "[NEEDS RE-CHECK]",
    ReviewStatus.COMMENTED: "[NOT REVIEWED]",
    ReviewStatus.EDITED: "[EDITED, NOT APPROVED]",
}
"""How a draft marks a segment that is not approved."""


def draft_text(t: Translation) -> str:
    """A segment as the draft shows it: approved text as it is, anything else marked."""
    status = t.review.status if t.review is not None else None
    if status == ReviewStatus.APPROVED:
        return t.reviewed
    return f"{DRAFT_MARKS[status]} {t.reviewed}"


def review_counts(rows: list[Translation]) -> ReviewCounts:
    decided = [t.review.status for t in rows if t.review is not None]
    approved = decided.count(ReviewStatus.APPROVED)
    rejected = decided.count(ReviewStatus.REJECTED)
    recheck = decided.count(ReviewStatus.NEEDS_RECHECK)
    return ReviewCounts(approved, rejected, len(rows) - approved - rejected - recheck, recheck)


def segment_rows(translated: TranslatedArticle) -> list[dict[str, Any]]:
    return [segment_row(translated, position) for position in range(len(translated.plan.segments))]


def segment_row(translated: TranslatedArticle, position: int) -> dict[str, Any]:
    """The stored row of the article's ``position``-th segment, every target language in it."""
    seg = translated.plan.segments[position]
    targets = {
        lang: _target_row(items[seg.index]) for lang, items in translated.translations.items()
    }
    row: dict[str, Any] = {"index": seg.index, "paragraph": seg.paragraph, "source": seg.text}
    if seg.lang:
        row["lang"] = seg.lang
    if seg.inline:
        row["inline"] = inline_rows(seg.inline)
    row["targets"] = targets
    return row


def _target_row(t: Translation) -> dict[str, Any]:
    row: dict[str, Any] = {
        "mt": t.mt,
        "final": t.final,
        "changes": to_jsonable(t.changes),
        "unresolved": list(t.unresolved),
        "flags": to_jsonable(t.flags),
    }
    if t.origin != Origin.MT:
        row["origin"] = t.origin
    if t.score is not None:
        row["score"] = round(t.score, 4)
    if t.provenance:
        row["provenance"] = t.provenance
    if t.review is not None:
        row["review"] = review_row(t.review)
    if t.protection is not None and t.protection.slots:
        row["sent"] = t.protection.text
        row["slots"] = to_jsonable(t.protection.slots)
    return row


def encode_jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")


def encode_json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass
class Tally:
    """What :func:`target_summary` counts of one language's segments, kept so that a review
    save updates it segment by segment (:meth:`add` the old share with ``sign=-1``, the new
    one with ``+1``) instead of counting a long article again."""

    total: int = 0
    changes: int = 0
    flags: int = 0
    decided: int = 0
    approved: int = 0
    rejected: int = 0
    recheck: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    unresolved: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, rows: list[Translation]) -> Tally:
        tally = cls()
        for t in rows:
            tally.add(t)
        return tally

    def add(self, t: Translation, sign: int = 1) -> None:
        self.total += sign
        self.changes += sign * len(t.changes)
        self.flags += sign * len(t.flags)
        for flag in t.flags:
            self.codes[flag.code] += sign
        for entry in set(t.unresolved):
            self.unresolved[entry] += sign
        if t.review is not None:
            self.decided += sign
            if t.review.status == ReviewStatus.APPROVED:
                self.approved += sign
            elif t.review.status == ReviewStatus.REJECTED:
                self.rejected += sign
            elif t.review.status == ReviewStatus.NEEDS_RECHECK:
                self.recheck += sign

    def reviews(self) -> ReviewCounts:
        open_ = self.total - self.approved - self.rejected - self.recheck
        return ReviewCounts(self.approved, self.rejected, open_, self.recheck)


def tallies(translated: TranslatedArticle) -> dict[str, Tally]:
    return {lang: Tally.of(rows) for lang, rows in translated.translations.items()}


def target_summary(
    translated: TranslatedArticle, counted: Mapping[str, Tally] | None = None
) -> dict[str, TargetSummary]:
    """Per language: what was done and how much the glossary and QA found (``counted``:
    the article's tallies, when the caller keeps them up to date)."""
    counted = tallies(translated) if counted is None else counted
    out: dict[str, TargetSummary] = {}
    for lang in translated.translations:
        tally = counted[lang]
        engine = translated.engines.get(lang)
        out[lang] = TargetSummary(
            action=translated.plan.actions.get(lang, Action.TRANSLATE),
            mt_file=layout.mt_file(lang),
            file=layout.final_file(lang),
            changes=tally.changes,
            unresolved=sorted(e for e, n in tally.unresolved.items() if n > 0),
            flags=tally.flags,
            flag_codes=dict(sorted((c, n) for c, n in tally.codes.items() if n > 0)),
            reviews=tally.reviews() if tally.decided else None,
            engine=engine.name if engine else None,
            pseudo=engine.pseudo if engine else False,
        )
    return out


def manifest_of(
    translated: TranslatedArticle,
    *,
    engine: Any,
    pseudo: bool,
    glossary: dict[str, Any],
    fingerprint: str,
    files: dict[str, int],
    written: str,
) -> dict[str, Any]:
    plan = translated.plan
    article = plan.article
    return {
        "format": layout.ARTICLE_FORMAT,
        "id": article.id,
        "title": article.title,
        "input": article.input_path,
        "input_line": article.input_line,
        "site": article.site,
        "encoding": (
            {"name": article.encoding, "confidence": article.encoding_confidence}
            if article.encoding
            else None
        ),
        "status": translated.status,
        "source_language": to_jsonable(plan.language),
        "paragraph_languages": [to_jsonable(p) for p in plan.paragraph_languages],
        "engine": engine,
        "pseudo": pseudo,
        "glossary": glossary,
        "targets": {lang: t.to_json() for lang, t in target_summary(translated).items()},
        "segments": len(plan.segments),
        "dropped_lines": to_jsonable(article.dropped_lines),
        "suspect_lines": to_jsonable(article.suspect_lines),
        "timings": {k: round(v, 4) for k, v in translated.timings.items()},
        "fingerprint": fingerprint,
        "files": files,
        "written": written,
    }


def article_from_stored(
    manifest: dict[str, Any], rows: list[dict[str, Any]], source_text: str
) -> TranslatedArticle:
    """The record a stored article was written from (StoredFormatError when it is not one)."""
    try:
        article_id = str(manifest["id"])
        title = str(manifest.get("title") or "")
        article = Article(
            id=article_id,
            title=title,
            paragraphs=_paragraphs(source_text, title),
            input_path=str(manifest.get("input") or ""),
            input_line=manifest.get("input_line"),
            site=manifest.get("site"),
            dropped_lines=[DroppedLine(**d) for d in manifest.get("dropped_lines") or []],
            suspect_lines=[SuspectLine(**d) for d in manifest.get("suspect_lines") or []],
        )
        encoding = manifest.get("encoding") or {}
        article.encoding = encoding.get("name")
        article.encoding_confidence = encoding.get("confidence")
        targets = manifest["targets"]
        if not isinstance(targets, dict):
            raise StoredFormatError("'targets' is not a mapping")
        plan = ArticlePlan(
            article,
            _guess(manifest.get("source_language")),
            [_guess(p) for p in manifest.get("paragraph_languages") or []],
            actions={
                str(lang): Action((info or {}).get("action") or Action.TRANSLATE)
                for lang, info in targets.items()
            },
        )
        if plan.language is None:
            raise StoredFormatError("'source_language' is missing")
        translations: dict[str, list[Translation]] = {lang: [] for lang in plan.actions}
        for number, row in enumerate(rows):
            try:
                seg = Segment(
                    article_id,
                    int(row["index"]),
                    int(row.get("paragraph", 0)),
                    str(row["source"]),
                    row.get("lang"),
                    inline_from_rows(row.get("inline")),
                )
                pairs = [
                    (str(lang), _translation(seg, str(lang), data))
                    for lang, data in row.get("targets", {}).items()
                ]
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise StoredFormatError(f"{type(exc).__name__}: {exc}", number) from exc
            plan.segments.append(seg)
            for lang, translation in pairs:
                translations.setdefault(lang, []).append(translation)
        return TranslatedArticle(
            plan,
            translations,
            {k: float(v) for k, v in (manifest.get("timings") or {}).items()},
            stored_engines(manifest),
        )
    except StoredFormatError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise StoredFormatError(f"{type(exc).__name__}: {exc}") from exc


def stored_engines(manifest: dict[str, Any]) -> dict[str, TargetEngine]:
    """Per target, what translated it: recorded per target, or (older runs) per article."""
    recorded = manifest.get("engine")
    records = recorded if isinstance(recorded, list) else [recorded]
    name = "+".join(str(r.get("name")) for r in records if isinstance(r, dict)) or "?"
    pseudo = bool(manifest.get("pseudo")) or any(
        isinstance(r, dict) and bool(r.get("pseudo")) for r in records
    )
    engines = {}
    for lang, info in (manifest.get("targets") or {}).items():
        info = info if isinstance(info, dict) else {}
        if info.get("engine"):
            engines[str(lang)] = TargetEngine(str(info["engine"]), bool(info.get("pseudo")))
        else:
            engines[str(lang)] = TargetEngine(name, pseudo)
    return engines


def _paragraphs(source_text: str, title: str) -> list[str]:
    blocks = [b for b in source_text.strip("\n").split("\n\n") if b.strip()]
    if title and blocks and blocks[0] == title:
        blocks = blocks[1:]
    return blocks


def _guess(data: Any) -> LanguageGuess | None:
    if not isinstance(data, dict) or "code" not in data:
        return None
    return LanguageGuess(
        str(data["code"]), float(data.get("confidence", 1.0)), str(data.get("method", "stored"))
    )


def _translation(seg: Segment, lang: str, data: dict[str, Any]) -> Translation:
    protection = None
    if "sent" in data:
        protection = Protection(
            str(data["sent"]), [Slot(**slot) for slot in data.get("slots") or []]
        )
    return Translation(
        segment=seg.index,
        lang=lang,
        mt=str(data.get("mt", "")),
        final=str(data.get("final", "")),
        changes=[GlossaryChange(**c) for c in data.get("changes") or []],
        unresolved=[str(u) for u in data.get("unresolved") or []],
        flags=[_flag(f) for f in data.get("flags") or []],
        origin=Origin(data.get("origin", Origin.MT)),
        protection=protection,
        score=float(data["score"]) if isinstance(data.get("score"), int | float) else None,
        review=review_from_row(data["review"]) if data.get("review") else None,
        provenance=str(data.get("provenance") or ""),
    )


def _flag(data: dict[str, Any]) -> QAFlag:
    return QAFlag(
        FlagCode(data["code"]),
        str(data["message"]),
        Severity(data.get("severity", Severity.WARNING)),
        data.get("entry_id"),
    )


def review_from_row(data: dict[str, Any]) -> Review:
    """A stored review (KeyError/ValueError when the row is not one)."""
    return Review(
        status=ReviewStatus(data["status"]),
        text=str(data["text"]),
        reviewer=str(data["reviewer"]),
        time=str(data["time"]),
        comment=str(data.get("comment", "")),
        origin=Channel(data.get("origin", Channel.APP)),
        inline=inline_from_rows(data.get("inline")),
    )


def review_row(review: Review) -> dict[str, Any]:
    """A review as stored: its inline form only when it has one."""
    row: dict[str, Any] = to_jsonable(review)
    del row["inline"]
    if review.inline:
        row["inline"] = inline_rows(review.inline)
    return row


def inline_rows(parts: Inline) -> list[Any]:
    """Text and inline codes as JSON: a string for text, an object for a code."""
    return [part if isinstance(part, str) else to_jsonable(part) for part in parts]


def inline_from_rows(rows: Any) -> Inline:
    """The inline form stored by :func:`inline_rows` (``()`` when there is none)."""
    if not rows:
        return ()
    if not isinstance(rows, list):
        raise TypeError("'inline' is not a list")
    return tuple(
        row
        if isinstance(row, str)
        else InlineCode(
            str(row["name"]),
            str(row["kind"]),
            str(row["key"]),
            tuple((str(k), str(v)) for k, v in row.get("attrs") or []),
            str(row.get("data", "")),
            int(row.get("version", 1)),
        )
        for row in rows
    )
