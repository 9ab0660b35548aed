"""The review of a stored run as plain JSON data (``l10n review --json``) and its filters."""

from __future__ import annotations

from typing import Any

from l10n.models import TranslatedArticle, Translation, to_jsonable
from l10n.run.codec import review_counts, review_row
from l10n.run.store import Run, RunReadError
from l10n.run.summary import RunSummary

REVIEW_FORMAT = "l10n-review/1"
"""Version tag of the ``--json`` document; bumped when a field changes meaning."""


def review_document(
    run: Run,
    *,
    lang: str | None = None,
    article: str | None = None,
    only_changed: bool = False,
) -> dict[str, Any]:
    """The review as plain JSON data, filtered like the terminal view.

    Keys and their order are part of the ``--json`` contract (see :data:`REVIEW_FORMAT`).
    """
    summary = run.read_summary()
    langs = select_langs(run, summary, lang)
    ids = summary_ids(run, summary, article)
    out_articles = []
    for article_id in ids:
        item = run.read_article(article_id)
        segments = []
        for index in select_segments(item, langs, only_changed):
            segment = item.plan.segments[index]
            segments.append(
                {
                    "index": segment.index,
                    "paragraph": segment.paragraph,
                    "source": segment.text,
                    "targets": {
                        code: _target_json(item.translations[code][index])
                        for code in langs
                        if code in item.translations
                    },
                }
            )
        counts = {code: item.counts(code) for code in langs if code in item.translations}
        entry = {
            "id": item.id,
            "title": item.article.title,
            "status": item.status,
            "source_language": item.source_language,
            "counts": counts,
            "segments": segments,
        }
        publishable = {
            code: review_counts(item.translations[code]).verdict()
            for code in counts
            if any(t.review is not None for t in item.translations[code])
        }
        if publishable:  # once a reviewer decided something
            entry["publishable"] = publishable
        pseudo_targets = [code for code in counts if item.is_pseudo(code)]
        if pseudo_targets:  # per target: a provided draft beside them is not pseudo
            entry["pseudo_targets"] = pseudo_targets
        out_articles.append(entry)
    marked = len(summary.pseudo_articles)
    doc: dict[str, Any] = {
        "format": REVIEW_FORMAT,
        "run_id": summary.run_id,
        "pseudo": summary.pseudo,
        "engine": summary.engine_name,
        "targets": langs,
        "filters": {"lang": lang, "article": article, "only_changed": only_changed},
        "articles": out_articles,
        "skipped": [{"id": o.id, "input": o.input, "reason": o.reason} for o in summary.skipped],
        "failed": [{"id": o.id, "input": o.input, "reason": o.reason} for o in summary.failed],
        "input_errors": summary.input_errors,
    }
    if marked:  # some stored articles have pseudo targets: [how many, of how many]
        doc["pseudo_articles"] = [marked, len(summary.done)]
    return doc


def summary_ids(run: Run, summary: RunSummary, article: str | None) -> list[str]:
    ids = [o.id for o in summary.done]
    if article is None:
        return ids
    if article not in ids:
        known = ", ".join(ids) or "none"
        raise RunReadError(
            f"{run.location}: no article '{article}' in this run — choose one of: {known}"
        )
    return [article]


def select_langs(run: Run, summary: RunSummary, lang: str | None) -> list[str]:
    """The target languages to show; an unknown one is a user error."""
    if lang is None:
        return list(summary.targets)
    if lang not in summary.targets:
        known = ", ".join(summary.targets) or "none"
        raise RunReadError(
            f"{run.location}: this run has no '{lang}' target — choose one of: {known}"
        )
    return [lang]


def select_segments(article: TranslatedArticle, langs: list[str], only_changed: bool) -> list[int]:
    """Indices of the segments to show: all, or those the glossary changed in ``langs``."""
    indices = range(len(article.plan.segments))
    if not only_changed:
        return list(indices)
    return [
        i
        for i in indices
        if any(
            code in article.translations and article.translations[code][i].changed for code in langs
        )
    ]


def _target_json(view: Translation) -> dict[str, Any]:
    data = {
        "mt": view.mt,
        "final": view.final,
        "changed": view.changed,
        "changes": to_jsonable(view.changes),
        "unresolved": list(view.unresolved),
        "flags": to_jsonable(view.flags),
    }
    if view.review is not None:
        data["review"] = review_row(view.review)
    return data
