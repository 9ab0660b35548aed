"""What the review app's pages show, as plain data for the templates.

Filters are query parameters, so a filtered page survives a reload and can be shared.
Every text here is untrusted (it comes from web pages and engines): only the diff and
highlight helpers build markup, and they escape each piece first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from l10n.models import (
    ArticleOutcome,
    FlagCode,
    ReviewCounts,
    ReviewStatus,
    TranslatedArticle,
    Translation,
)
from l10n.review.decisions import version_of
from l10n.review.diffs import char_diff, translation_diff
from l10n.review.html import diff_html
from l10n.review.names import ArticleNames, Span
from l10n.run.summary import RunSummary, engine_labels

SHOW_CHOICES = (
    ("", "all"),
    ("flagged", "with QA flags"),
    ("unresolved", "with unresolved names"),
    ("changed", "changed by the glossary"),
    ("open", "not yet approved"),
    ("rejected", "rejected"),
    ("recheck", "needs re-check"),
)
SHOW_KEYS = frozenset(key for key, _ in SHOW_CHOICES)
PAGE_SIZE = 200
PAGE_SEGMENTS = 100
"""Segments per article page: a 20,000-paragraph article opens page by page."""
MAX_QUERY = 200


FLAG_CODES = tuple(code.value for code in FlagCode)


@dataclass(frozen=True)
class Filters:
    """What a page shows. ``show`` is one or more keys of SHOW_CHOICES joined by commas
    (``flagged,open``): a unit must match every one; ``flag`` narrows to one flag code."""

    lang: str = ""
    show: str = ""
    q: str = ""
    page: int = 1
    flag: str = ""
    order: str = ""
    """``score``: the least confident segments first (the model's score, docs/engines.md)."""

    @classmethod
    def from_query(cls, params: Mapping[str, str], langs: list[str]) -> Filters:
        """Filters from the URL; values the page does not offer are ignored."""
        lang = params.get("lang", "")
        keys = [*params.get("show", "").split(","), params.get("also", "")]
        show = ",".join(dict.fromkeys(k for k in keys if k and k in SHOW_KEYS))
        flag = params.get("flag", "")
        page = params.get("page", "1")
        return cls(
            lang=lang if lang in langs else "",
            show=show,
            q=" ".join(params.get("q", "").split())[:MAX_QUERY],
            page=int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1,
            flag=flag if flag in FLAG_CODES else "",
            order="score" if params.get("order") == "score" else "",
        )

    @property
    def shows(self) -> frozenset[str]:
        return frozenset(k for k in self.show.split(",") if k)

    @property
    def first(self) -> str:
        return self.show.split(",")[0]

    @property
    def also(self) -> str:
        keys = self.show.split(",")
        return keys[1] if len(keys) > 1 else ""

    @property
    def active(self) -> bool:
        return bool(self.lang or self.show or self.q or self.flag or self.order)


def status_of(translation: Translation) -> str:
    return translation.review.status if translation.review is not None else "open"


def unit_matches(translation: Translation, segment_text: str, filters: Filters) -> bool:
    shows = filters.shows
    status = status_of(translation)
    if "flagged" in shows and not translation.flags:
        return False
    if "unresolved" in shows and not translation.unresolved:
        return False
    if "changed" in shows and not translation.changed:
        return False
    if "open" in shows and status == "approved":
        return False
    if "rejected" in shows and status != "rejected":
        return False
    if "recheck" in shows and status != ReviewStatus.NEEDS_RECHECK:
        return False
    if filters.flag and not any(f.code == filters.flag for f in translation.flags):
        return False
    if filters.q:
        needle = filters.q.casefold()
        texts = [segment_text, translation.mt, translation.final]
        if translation.review is not None:
            texts += [translation.review.text, translation.review.comment]
        if not any(needle in text.casefold() for text in texts):
            return False
    return True


def highlight(text: str, spans: list[Span]) -> Markup:
    """``text`` with each glossary name in a ``<mark>`` naming its entry."""
    out: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < position or span.end > len(text):
            continue
        out.append(str(escape(text[position : span.start])))
        out.append(
            f'<mark class="name" title="glossary: {escape(span.entry_id)}">'
            f"{escape(text[span.start : span.end])}</mark>"
        )
        position = span.end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def unit_view(
    run_id: str, translated: TranslatedArticle, translation: Translation
) -> dict[str, Any]:
    """One decision unit: a segment in one language, with diffs, notes and its review."""
    mt_html, final_html = diff_html(translation_diff(translation))
    review = translation.review
    review_html = None
    if review is not None and review.text != translation.final:
        review_html = diff_html(char_diff(translation.final, review.text))[1]
    return {
        "run": run_id,
        "article": translated.id,
        "index": translation.segment,
        "lang": translation.lang,
        "key": f"{translation.lang}-{translation.segment}",
        "mt_html": mt_html,
        "final_html": final_html,
        "review": review,
        "review_html": review_html,
        "current": translation.reviewed,
        "version": version_of(translation),
        "status": status_of(translation),
        "changed": translation.changed,
        "copied": translation.origin == "copy",
        "origin": translation.origin,
        "provenance": translation.provenance
        or (
            f"brought with the input {translated.article.input_path}"
            if translation.origin == "provided"
            else ""
        ),
        "changes": [c for c in translation.changes if c.rule != "ko-particle"],
        "unresolved": translation.unresolved,
        "flags": translation.flags,
        "score": translation.score,
    }


def _lowest_score(rows: list[Translation]) -> tuple[bool, float]:
    scores = [row.score for row in rows if row.score is not None]
    return (not scores, min(scores) if scores else 0.0)


def article_view(
    run_id: str, translated: TranslatedArticle, names: ArticleNames, filters: Filters
) -> dict[str, Any]:
    """The article page: segments (source highlighted) with their units, as filtered."""
    plan = translated.plan
    langs = [filters.lang] if filters.lang else list(translated.translations)
    matching = []
    for segment in plan.segments:
        rows = [
            translated.translations[lang][segment.index]
            for lang in langs
            if unit_matches(translated.translations[lang][segment.index], segment.text, filters)
        ]
        if rows:
            matching.append((segment, rows))
    if filters.order == "score":  # least confident first; segments without a score last
        matching.sort(key=lambda item: _lowest_score(item[1]))
    first = (filters.page - 1) * PAGE_SEGMENTS
    segments = []
    for segment, rows in matching[first : first + PAGE_SEGMENTS]:
        units = [unit_view(run_id, translated, row) for row in rows]
        segments.append(
            {
                "index": segment.index,
                "where": "title" if segment.paragraph < 0 else f"¶{segment.paragraph + 1}",
                "source_html": highlight(segment.text, names.spans.get(segment.index, [])),
                "source_lang": plan.source_lang(segment),
                "units": units,
            }
        )
    shown_units = sum(len(rows) for _, rows in matching)
    matched = len(matching)
    article = translated.article
    return {
        "id": translated.id,
        "title": article.title,
        "input": article.input_path,
        "source_language": translated.source_language,
        "langs": list(translated.translations),
        "segments": segments,
        "shown_units": shown_units,
        "page": filters.page,
        "pages": max(1, -(-matched // PAGE_SEGMENTS)),
        "total_units": sum(len(rows) for rows in translated.translations.values()),
        "progress": progress(translated),
    }


def progress(
    translated: TranslatedArticle, counts: Mapping[str, ReviewCounts] | None = None
) -> dict[str, dict[str, Any]]:
    """Per language: approved, rejected and total segments, and the line the page shows
    (``counts``: the article's review counts, when a save kept them)."""
    out = {}
    for lang, rows in translated.translations.items():
        known = (counts or {}).get(lang)
        if known is not None:
            approved, rejected = known.approved, known.rejected
        else:
            approved = sum(status_of(t) == "approved" for t in rows)
            rejected = sum(status_of(t) == "rejected" for t in rows)
        label = f"{lang} {approved}/{len(rows)} approved"
        if rejected:
            label += f", {rejected} rejected"
        out[lang] = {
            "approved": approved,
            "rejected": rejected,
            "total": len(rows),
            "label": label,
            "done": approved == len(rows),
        }
    return out


def outcome_row(outcome: ArticleOutcome, filters: Filters) -> dict[str, Any] | None:
    """A row of the run page, or None when the filters hide it."""
    targets = {
        lang: info
        for lang, info in outcome.targets.items()
        if not filters.lang or lang == filters.lang
    }
    reviews = {
        lang: info.reviews or ReviewCounts(0, 0, outcome.segments) for lang, info in targets.items()
    }
    row = {
        "id": outcome.id,
        "title": outcome.title,
        "source": outcome.source_language.code if outcome.source_language else "",
        "segments": outcome.segments,
        "changes": sum(info.changes for info in targets.values()),
        "unresolved": sum(len(info.unresolved) for info in targets.values()),
        "flags": sum(info.flags for info in targets.values()),
        "reviews": reviews,
        "open": sum(r.open + r.rejected + r.recheck for r in reviews.values()),
        "recheck": sum(r.recheck for r in reviews.values()),
        "rejected": sum(r.rejected for r in reviews.values()),
    }
    shows = filters.shows
    if (
        ("flagged" in shows and not row["flags"])
        or ("unresolved" in shows and not row["unresolved"])
        or ("changed" in shows and not row["changes"])
        or ("open" in shows and not row["open"])
        or ("rejected" in shows and not row["rejected"])
        or ("recheck" in shows and not row["recheck"])
        or (filters.flag and not any(i.flag_codes.get(filters.flag) for i in targets.values()))
    ):
        return None
    if filters.q and filters.q.casefold() not in f"{outcome.id} {outcome.title}".casefold():
        return None
    return row


def run_view(summary: RunSummary, filters: Filters) -> dict[str, Any]:
    """The run page: its articles as filtered, one page of them."""
    rows = []
    for outcome in summary.done:
        row = outcome_row(outcome, filters)
        if row is not None:
            labels = engine_labels(outcome, summary.engine_name)
            row["engines"] = {
                lang: label for lang, label in labels.items() if lang in row["reviews"]
            }
            rows.append(row)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(filters.page, pages)
    start = (page - 1) * PAGE_SIZE
    return {
        "run": summary,
        "totals": summary.totals(),
        "rows": rows[start : start + PAGE_SIZE],
        "matched": len(rows),
        "page": page,
        "pages": pages,
        "problems": [o for o in summary.outcomes if o.status != "done"],
        "pseudo_articles": len(summary.pseudo_articles),
    }
